"""etl/glue_job.py's S3 side (lease, existence checks, copies) against a real S3 API: moto in server mode on
127.0.0.1, through the boto3/botocore that Glue 5.0 provides (1.34.131, pinned in python/requirements-glue.txt).
No Spark here: test/etl/spark-engine.test.ts runs whole jobs."""

import json
import os
import threading
import unittest

import botocore
from moto.server import ThreadedMotoServer

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


if __name__ == "__main__":
    unittest.main()
