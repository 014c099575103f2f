"""Unit tests of etl/glue_helpers.py, run by test/etl/glue.test.ts (`python3 -m unittest`).

That mocha test renders a fixture (GLUE_HELPERS_FIXTURE) with the job's configuration, the Spark SQL
and what the TypeScript engine does with the same inputs, so these tests hold the Python side to the
TypeScript one instead of to hand-copied expectations.
"""

import base64
import gzip
import json
import os
import re
import unittest

import glue_helpers as h

FIXTURE_PATH = os.environ.get("GLUE_HELPERS_FIXTURE")


def load_fixture():
    if not FIXTURE_PATH:
        raise unittest.SkipTest("run through test/etl/glue.test.ts, which renders GLUE_HELPERS_FIXTURE")
    with open(FIXTURE_PATH, encoding="utf-8") as file:
        return json.load(file)


class LinesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fixture = load_fixture()
        cls.config = cls.fixture["config"]

    def test_splits_lines_as_the_local_engine_does(self):
        for case in self.fixture["splitLines"]:
            with self.subTest(text=case["text"][:40]):
                self.assertEqual([list(pair) for pair in h.split_lines(case["text"])], case["lines"])

    def test_decodes_gzip_bom_and_invalid_utf8_as_the_local_engine_does(self):
        for case in self.fixture["decode"]:
            with self.subTest(key=case["key"]):
                self.assertEqual(h.decode_object(case["key"], base64.b64decode(case["base64"])), case["text"])

    def test_quarantines_what_the_local_engine_cannot_read_with_the_same_detail(self):
        for case in self.fixture["read"]:
            with self.subTest(key=case["key"]):
                data = base64.b64decode(case["base64"])
                key, lines, unreadable = h.read_input(self.config, case["key"], lambda: data)
                self.assertEqual(key, case["key"])
                self.assertEqual(unreadable, case["unreadable"])
                if unreadable is not None:
                    self.assertEqual(lines, [])
        self.assertTrue(any("unexpected end of file" in (case["unreadable"] or "") for case in self.fixture["read"]))
        self.assertTrue(any("incorrect header check" in (case["unreadable"] or "") for case in self.fixture["read"]))

    def test_quarantines_an_input_it_may_not_read_and_raises_other_read_failures(self):
        def denied_by_os():
            raise PermissionError(13, "Permission denied", "raw/a.jsonl")

        class ClientError(Exception):
            def __init__(self, code):
                super().__init__("An error occurred (%s) when calling the GetObject operation" % code)
                self.response = {"Error": {"Code": code}}

        def denied_by_s3():
            raise ClientError("AccessDenied")

        def missing():
            raise ClientError("NoSuchKey")

        _, lines, unreadable = h.read_input(self.config, "raw/a.jsonl", denied_by_os)
        self.assertEqual(lines, [])
        self.assertIn("Permission denied", unreadable)
        self.assertIn("processed/", unreadable)
        self.assertIn("AccessDenied", h.read_input(self.config, "raw/a.jsonl", denied_by_s3)[2])
        with self.assertRaises(ClientError):
            h.read_input(self.config, "raw/a.jsonl", missing)

    def test_reads_the_input_extensions_of_the_config(self):
        self.assertTrue(h.is_input_key(self.config, "raw/2026/11/24/10/a.jsonl.gz"))
        self.assertTrue(h.is_input_key(self.config, "raw/click_abc_1730000000.json"))
        self.assertFalse(h.is_input_key(self.config, "raw/notes.txt"))

    def test_round_trips_gzip(self):
        self.assertEqual(h.decode_object("raw/a.jsonl.gz", gzip.compress("{}\n".encode())), "{}\n")

    def test_plans_batches_as_the_local_engine_does(self):
        for case in self.fixture["planBatches"]:
            self.assertEqual(h.plan_batches(case["inputs"], case["maxBytes"]), case["batches"])


class KeysTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fixture = load_fixture()
        cls.config = cls.fixture["config"]

    def test_maps_raw_keys_to_processed_keys(self):
        self.assertEqual(h.processed_key_for(self.config, "raw/2026/11/24/a.jsonl"), "processed/2026/11/24/a.jsonl")
        with self.assertRaises(ValueError):
            h.processed_key_for(self.config, "results/x")

    def test_finds_the_bucket_of_each_area(self):
        buckets = {"raw": "r", "processed": "p", "results": "s"}
        self.assertEqual(h.bucket_for_area(self.config, "raw", buckets), "r")
        self.assertEqual(h.bucket_for_area(self.config, "etl", buckets), "s")
        self.assertEqual(h.bucket_for_area(self.config, "rejected", buckets), "s")

    def test_makes_run_ids_in_the_local_engines_format(self):
        sample = self.fixture["runId"]
        run_id = h.new_run_id(sample["ms"], "0a1b2c3d")
        self.assertRegex(run_id, self.fixture["runIdPattern"])
        self.assertEqual(run_id, sample["stamp"] + "-0a1b2c3d")

    def test_names_outputs_as_the_local_engine_does(self):
        staged = ["event_date=2026-11-24/part-00000-abc.c000.zstd.parquet", "event_date=2026-11-25/part-00000-def.c000.zstd.parquet",
                  "event_date=2026-11-25/part-00001-def.c000.zstd.parquet"]
        self.assertEqual(h.final_output_keys(self.config, self.config["eventsPrefix"], staged, "RUN", ".parquet", True), [
            "results/events/event_date=2026-11-24/part-RUN-0.parquet",
            "results/events/event_date=2026-11-25/part-RUN-0.parquet",
            "results/events/event_date=2026-11-25/part-RUN-1.parquet",
        ])
        self.assertEqual(self.fixture["rejectedKey"].replace(self.fixture["rejectedRunId"], "RUN"), "rejected/rejected_events/part-RUN.parquet")
        self.assertEqual(h.final_output_keys(self.config, self.config["rejectedPrefix"], ["part-00000-abc.c000.zstd.parquet"], "RUN", ".parquet", False),
                         ["rejected/rejected_events/part-RUN.parquet"])

    def test_copies_only_data_files_never_writer_bookkeeping_or_folder_markers(self):
        self.assertTrue(h.is_data_file("event_date=2026-11-24/part-0.parquet"))
        for name in ("event_date=2026-11-24/_SUCCESS", "event_date=2026-11-24/.part-0.parquet.crc", "event_date=2026-11-24_$folder$",
                     "event_date=2026-11-24/part-0_$folder$", "event_date=2026-11-24/"):
            self.assertFalse(h.is_data_file(name), name)

    def test_lists_open_runs_once_each_oldest_first_ignoring_folder_markers(self):
        prefix = self.config["openPrefix"]
        keys = [prefix + "B/manifest.json", prefix + "A/manifest.json", prefix + "A/commit.json", prefix, prefix[:-1] + "_$folder$",
                prefix + "C_$folder$", prefix + "B_$folder$/x"]
        self.assertEqual(h.parse_open_runs(self.config, keys), ["A", "B"])


class StatementsTest(unittest.TestCase):
    def test_splits_the_rendered_spark_sql_into_the_engine_steps_in_order(self):
        fixture = load_fixture()
        statements = h.split_statements(fixture["config"], fixture["sparkSql"])
        self.assertEqual([name for name, _, _ in statements], fixture["statementNames"])
        for name, kind, sql in statements:
            self.assertIn(kind, ("materialize", "view", "query"))
            self.assertNotIn("{{", sql)
            self.assertFalse(sql.startswith("--"), name)
        kinds = {name: kind for name, kind, _ in statements}
        # Named as a view; the job materializes it (glue_job.run_statement), as the marker's kind says.
        self.assertTrue(dict(statements_sql(statements))["validated"].startswith("CREATE OR REPLACE TEMPORARY VIEW validated AS"))
        self.assertEqual(kinds["validated"], "materialize")
        self.assertEqual(kinds["event_dates"], "query")


def statements_sql(statements):
    return [(name, sql) for name, _, sql in statements]


class RecordsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fixture = load_fixture()
        cls.config = cls.fixture["config"]

    def test_numbers_lease_generations_as_the_local_engine_does(self):
        key = h.lease_key(self.config, 42)
        self.assertEqual(key, self.fixture["leaseKey42"])
        self.assertEqual(h.lease_generation(self.config, key), 42)
        self.assertEqual(h.newest_generation(self.config, [h.lease_key(self.config, n) for n in (3, 12, 7)]), 12)
        self.assertEqual(h.newest_generation(self.config, []), 0)

    def test_treats_a_lease_as_live_until_it_expires_or_is_released(self):
        record = h.lease_record(5, "run", "host", 1, 1_000_000, 60_000, False)
        self.assertTrue(h.lease_is_live(record, 1_000_000 + 59_999))
        self.assertFalse(h.lease_is_live(record, 1_000_000 + 60_000))
        self.assertFalse(h.lease_is_live(dict(record, released=True), 1_000_001))
        self.assertFalse(h.lease_is_live(None, 0))
        self.assertIn("holds the lease", h.locked_message(record))
        # The winner of a race may not be readable yet (409 conflict): still a message, not a TypeError.
        self.assertIn("took the lease", h.locked_message(None))

    def test_keeps_the_newest_lease_generations_as_the_local_engine_does(self):
        keys = [h.lease_key(self.config, n) for n in range(1, 9)]
        stale = h.stale_lease_keys(self.config, keys, 8)
        self.assertEqual(stale, [h.lease_key(self.config, n) for n in range(1, 8 - self.config["leaseKeepGenerations"] + 1)])

    def test_rolls_committed_runs_forward_and_others_back(self):
        self.assertEqual(h.recovery_action(has_commit=True, has_final=False), "roll_forward")
        self.assertEqual(h.recovery_action(has_commit=False, has_final=False), "roll_back")
        self.assertEqual(h.recovery_action(has_commit=True, has_final=True), "cleanup")

    def test_measures_the_window_as_the_local_engine_does(self):
        window = self.fixture["window"]
        self.assertEqual(list(h.timestamp_window(self.config, window["now"])), [window["earliest"], window["latest"]])

    def test_folds_counts_and_refuses_counts_that_do_not_add_up(self):
        rows = [("loaded", "loaded", 5), ("rejected", "wrong_type", 2), ("duplicate", "duplicate_in_run", 1)]
        counts = h.fold_counts(rows, 8, 3, 0)
        self.assertEqual(counts, {"filesRead": 3, "filesUnreadable": 0, "linesRead": 8, "loaded": 5,
                                  "rejected": {"wrong_type": 2}, "duplicates": {"duplicate_in_run": 1}})
        with self.assertRaises(h.ReconciliationError):
            h.fold_counts(rows, 9, 3, 0)

    def test_counts_an_unreadable_file_as_one_record(self):
        rows = [("loaded", "loaded", 5), ("rejected", "unreadable_file", 1), ("duplicate", "already_rejected", 1)]
        self.assertEqual(h.fold_counts(rows, 5, 1, 2)["filesUnreadable"], 2)
        with self.assertRaises(h.ReconciliationError):
            h.fold_counts(rows, 5, 2, 1)

    def test_writes_records_with_the_fields_the_local_engine_writes(self):
        manifest = h.manifest("RUN", 0, "parquet", (1, 2), [{"key": "raw/a.jsonl", "size": 3}])
        self.assertEqual(sorted(manifest), sorted(self.fixture["manifestFields"]))
        self.assertEqual(manifest["startedAt"], "1970-01-01T00:00:00.000Z")


class LocationsTest(unittest.TestCase):
    def test_reads_the_reference_table_as_the_model_does(self):
        fixture = load_fixture()
        rows = h.parse_locations_csv(fixture["locationsCsv"], "fixture")
        self.assertEqual([list(row) for row in rows], fixture["locations"])

    def test_reads_the_original_semicolon_format(self):
        rows = h.parse_locations_csv("ID;country-name;continent\n1;United States;North America\n", "seed")
        self.assertEqual(rows, [(1, "United States", "North America", None, None, None)])

    def test_names_the_source_of_a_bad_header(self):
        with self.assertRaisesRegex(ValueError, "lake.csv line 1"):
            h.parse_locations_csv("id,name\n", "lake.csv")


if __name__ == "__main__":
    unittest.main()
