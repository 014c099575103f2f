"""etl/glue_job.py's S3 side (lease, existence checks, copies) against a real S3 API: moto in server mode on
127.0.0.1, through the boto3/botocore that Glue 5.0 provides (1.34.131, pinned in python/requirements-glue.txt).
No Spark here: test/etl/spark-engine.test.ts runs whole jobs."""

import json
import os
import threading
import unittest

import botocore
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.server import ThreadedMotoServer
from werkzeug.serving import make_server

import glue_helpers as h
import glue_job

FIXTURE_PATH = os.environ.get("GLUE_HELPERS_FIXTURE")


def load_config():
    if not FIXTURE_PATH:
        raise unittest.SkipTest("run through test/etl/glue.test.ts, which renders GLUE_HELPERS_FIXTURE")
    with open(FIXTURE_PATH, encoding="utf-8") as file:
        return json.load(file)["config"]


class S3JobTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.config = load_config()
        os.environ.update(AWS_ACCESS_KEY_ID="twin", AWS_SECRET_ACCESS_KEY="twin-secret", AWS_DEFAULT_REGION="us-east-1")
        cls.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        cls.server.start()
        cls.endpoint = "http://127.0.0.1:%d" % cls.server._server.port
        cls.buckets = 0

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def lake(self):
        S3JobTest.buckets += 1
        objects = glue_job.S3Objects(self.endpoint)
        names = {role: "job-%s-%d" % (role, S3JobTest.buckets) for role in ("raw", "processed", "results")}
        for name in names.values():
            objects.s3.create_bucket(Bucket=name)
        return glue_job.Lake(objects, self.config, names)

    def test_runs_on_the_botocore_glue_5_provides(self):
        self.assertEqual(botocore.__version__, "1.34.131")

    def test_takes_the_lease_with_a_conditional_put_that_glue_5_botocore_cannot_express_as_a_parameter(self):
        lake = self.lake()
        with self.assertRaises(botocore.exceptions.ParamValidationError):
            lake.objects.s3.put_object(Bucket=lake.bucket("etl"), Key="x.json", Body=b"{}", IfNoneMatch="*")
        lease = glue_job.Lease(lake, "run-a", 60_000, h.now_ms)
        lease.acquire()
        self.assertEqual(lease.record["generation"], 1)
        # The header really went out: a second create of the same generation is refused by S3.
        with self.assertRaises(h.ObjectExistsError):
            lake.put_json("etl", h.lease_key(self.config, 1), {"generation": 1}, if_none_match=True)
        with self.assertRaises(h.EtlLockedError) as locked:
            glue_job.Lease(lake, "run-b", 60_000, h.now_ms).acquire()
        self.assertIn("run-a", str(locked.exception))

    def test_lets_one_of_many_runs_that_start_at_once_take_the_lease(self):
        lake = self.lake()
        outcomes = []

        def contend(name):
            try:
                glue_job.Lease(glue_job.Lake(glue_job.S3Objects(self.endpoint), self.config, lake.buckets), name, 60_000, h.now_ms).acquire()
                outcomes.append("won")
            except h.EtlLockedError:
                outcomes.append("locked")

        threads = [threading.Thread(target=contend, args=("run-%d" % n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["locked"] * 5 + ["won"])

    def test_deletes_old_lease_generations_keeping_the_newest_few(self):
        lake = self.lake()
        for n in range(7):
            lease = glue_job.Lease(lake, "run-%d" % n, 60_000, h.now_ms)
            lease.acquire()
            lease.release()
        generations = sorted(h.lease_generation(self.config, item["key"]) for item in lake.list("etl", self.config["leasePrefix"]))
        self.assertLessEqual(len(generations), self.config["leaseKeepGenerations"] + 1)
        self.assertEqual(generations[-1], 14)

    def test_checks_existence_by_listing_so_a_missing_key_is_absent_without_a_head_request(self):
        lake = self.lake()
        lake.put_json("raw", "raw/a.json.gz", {})
        self.assertFalse(lake.exists("raw", "raw/a.json"), "a key that is only a prefix of another is absent")
        lake.put_json("raw", "raw/a.json", {})
        self.assertTrue(lake.exists("raw", "raw/a.json"))
        self.assertIsNone(lake.read_json("etl", "_etl/runs/none.json"))
        sent = []
        lake.objects.s3.meta.events.register("before-call.s3.*", lambda model, **_: sent.append(model.name))
        lake.exists("raw", "raw/missing.json")
        self.assertEqual(sent, ["ListObjectsV2"])

    def test_moves_keys_with_commas_spaces_unicode_and_glob_characters(self):
        lake = self.lake()
        key = "raw/2026/a, b [c]*?{d} ü.jsonl"
        lake.put_json("raw", key, {"x": 1})
        lake.move("raw", key, "processed", h.processed_key_for(self.config, key), 12)
        self.assertEqual(lake.read_json("processed", "processed/2026/a, b [c]*?{d} ü.jsonl"), {"x": 1})
        self.assertFalse(lake.exists("raw", key))

    def test_copies_objects_of_unknown_size_with_the_managed_copy_that_handles_more_than_5_gb(self):
        lake = self.lake()
        lake.put_json("raw", "raw/big.json", {"big": True})
        sent = []
        lake.objects.s3.meta.events.register("before-call.s3.*", lambda model, **_: sent.append(model.name))
        lake.copy("raw", "raw/big.json", "processed", "processed/big.json", None)
        self.assertIn("HeadObject", sent, "the managed copy looks at the size to choose a single or a multipart copy")
        self.assertEqual(lake.read_json("processed", "processed/big.json"), {"big": True})


# S3's answer to a conditional write that overlaps another write to the same key (PutObject, "409 Conflict").
CONFLICT_BODY = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>ConditionalRequestConflict</Code>'
                 b'<Message>A conflicting conditional operation is currently in progress against this resource. '
                 b'Please try again.</Message><RequestId>conflict</RequestId></Error>')


class ConflictingS3:
    """moto's S3 served on 127.0.0.1 behind one layer that answers the next `conflicts` conditional PUTs
    (If-None-Match) with S3's 409 ConditionalRequestConflict, as S3 does when two writers overlap; moto
    answers everything else. Each conditional PUT is recorded as (path, status) as it went over the wire."""

    def __init__(self):
        self.conflicts = 0
        self.conditional_puts = []
        moto = DomainDispatcherApplication(create_backend_app)

        def app(environ, start_response):
            if environ["REQUEST_METHOD"] != "PUT" or "HTTP_IF_NONE_MATCH" not in environ:
                return moto(environ, start_response)
            path = environ["PATH_INFO"]
            if self.conflicts > 0:
                self.conflicts -= 1
                environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
                self.conditional_puts.append((path, 409))
                start_response("409 Conflict", [("Content-Type", "application/xml"), ("Content-Length", str(len(CONFLICT_BODY)))])
                return [CONFLICT_BODY]

            def record(status, headers, *rest):
                self.conditional_puts.append((path, int(status.split()[0])))
                return start_response(status, headers, *rest)

            return moto(environ, record)

        self.server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
        self.endpoint = "http://127.0.0.1:%d" % self.server.port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join()


class LeaseConflictTest(unittest.TestCase):
    """The lease's retry of 409 ConditionalRequestConflict (S3Objects.put), against a server that really answers 409."""

    @classmethod
    def setUpClass(cls):
        cls.config = load_config()
        os.environ.update(AWS_ACCESS_KEY_ID="twin", AWS_SECRET_ACCESS_KEY="twin-secret", AWS_DEFAULT_REGION="us-east-1")
        cls.s3 = ConflictingS3()
        cls.buckets = 0

    @classmethod
    def tearDownClass(cls):
        cls.s3.stop()

    def setUp(self):
        self.assertGreaterEqual(h.CONFLICT_ATTEMPTS, 2, "a conflict is retried at least once")
        LeaseConflictTest.buckets += 1
        objects = glue_job.S3Objects(self.s3.endpoint)
        names = {role: "conflict-%s-%d" % (role, LeaseConflictTest.buckets) for role in ("raw", "processed", "results")}
        for name in names.values():
            objects.s3.create_bucket(Bucket=name)
        self.lake = glue_job.Lake(objects, self.config, names)
        self.lease_path = "/%s/%s" % (self.lake.bucket("etl"), h.lease_key(self.config, 1))
        self.s3.conditional_puts = []

    def tearDown(self):
        self.s3.conflicts = 0

    def test_takes_the_lease_when_s3_answers_409_to_all_but_the_last_attempt(self):
        self.s3.conflicts = h.CONFLICT_ATTEMPTS - 1
        lease = glue_job.Lease(self.lake, "run-a", 60_000, h.now_ms)
        lease.acquire()
        self.assertEqual(self.s3.conditional_puts, [(self.lease_path, 409)] * (h.CONFLICT_ATTEMPTS - 1) + [(self.lease_path, 200)])
        self.assertEqual(lease.record["generation"], 1)
        self.assertEqual(self.lake.read_json("etl", h.lease_key(self.config, 1))["holder"], "run-a")
        with self.assertRaises(h.EtlLockedError) as locked:
            glue_job.Lease(self.lake, "run-b", 60_000, h.now_ms).acquire()
        self.assertIn("run-a", str(locked.exception))

    def test_fails_naming_the_lease_key_409_and_a_rerun_when_every_attempt_conflicts(self):
        self.s3.conflicts = h.CONFLICT_ATTEMPTS
        with self.assertRaises(h.ConditionalConflictError) as failed:
            glue_job.Lease(self.lake, "run-a", 60_000, h.now_ms).acquire()
        message = str(failed.exception)
        self.assertIn("s3://%s/%s" % (self.lake.bucket("etl"), h.lease_key(self.config, 1)), message)
        self.assertIn("409 ConditionalRequestConflict to %d conditional writes" % h.CONFLICT_ATTEMPTS, message)
        self.assertIn("rerun the job", message)
        self.assertEqual(self.s3.conditional_puts, [(self.lease_path, 409)] * h.CONFLICT_ATTEMPTS)
        self.assertEqual(self.lake.list("etl", self.config["leasePrefix"]), [], "no lease was written")
        # Nothing is left behind: the rerun takes the lease at once.
        lease = glue_job.Lease(self.lake, "run-b", 60_000, h.now_ms)
        lease.acquire()
        self.assertEqual(lease.record["generation"], 1)


if __name__ == "__main__":
    unittest.main()
