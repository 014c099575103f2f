"""The AWS engine of the ETL: a Glue 5.0 (Spark 3.5) job that runs the Spark rendering of the one
transform (etl/sql/*.sql, rendered by etl/transform.ts and uploaded as transform.spark.sql) under
the same commit protocol as the local engine (etl/run.ts, etl/protocol/):

  lease -> finish or roll back open runs -> per batch of raw inputs: manifest -> outputs (staged, then
  copied to names carrying the run id) -> commit record -> inputs moved raw/ -> processed/ -> final record

This script only reads input objects as lines with their key (or, for an object that cannot be read
at all, the reason) and writes outputs; every rule of the data lives in the SQL. Pure helpers live in glue_helpers.py (tested with unittest).

Job arguments: --raw_bucket --processed_bucket --results_bucket --code_bucket --sql_key --config_key
--database, and optionally --format (parquet|csv), --max_batch_mb, --lease_seconds, --now (epoch seconds).
"""

import json
import os
import socket
import sys
import uuid
from datetime import datetime, timezone

import boto3
from botocore.exceptions import ClientError
from pyspark.sql import SparkSession
from pyspark.sql.types import IntegerType, StringType, StructField, StructType, TimestampType, LongType

import glue_helpers as h

REQUIRED = ["raw_bucket", "processed_bucket", "results_bucket", "code_bucket", "sql_key", "config_key", "database"]
OPTIONAL = {"format": "parquet", "max_batch_mb": "4096", "lease_seconds": "1800", "now": ""}


def job_arguments(argv):
    """Glue passes arguments as `--name value`; getResolvedOptions cannot express optional ones."""
    from awsglue.utils import getResolvedOptions

    args = dict(OPTIONAL)
    present = [name for name in OPTIONAL if "--" + name in argv]
    args.update(getResolvedOptions(argv, REQUIRED + present))
    return args


class Lake:
    """The stage's buckets, addressed by area (model/layout.ts BUCKET_OF_AREA), through one S3 client."""

    def __init__(self, s3, config, buckets):
        self.s3, self.config, self.buckets = s3, config, buckets

    def bucket(self, area):
        return h.bucket_for_area(self.config, area, self.buckets)

    def list(self, area, prefix):
        objects = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket(area), Prefix=prefix):
            objects.extend({"key": item["Key"], "size": item["Size"]} for item in page.get("Contents", []))
        return objects

    def get(self, area, key):
        return self.s3.get_object(Bucket=self.bucket(area), Key=key)["Body"].read()

    def exists(self, area, key):
        try:
            self.s3.head_object(Bucket=self.bucket(area), Key=key)
            return True
        except ClientError as error:
            if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    def put_json(self, area, key, value, if_none_match=False):
        extra = {"IfNoneMatch": "*"} if if_none_match else {}
        self.s3.put_object(Bucket=self.bucket(area), Key=key, Body=(json.dumps(value, indent=2) + "\n").encode("utf-8"),
                           ContentType="application/json", **extra)

    def read_json(self, area, key):
        return json.loads(self.get(area, key)) if self.exists(area, key) else None

    def delete(self, area, key):
        self.s3.delete_object(Bucket=self.bucket(area), Key=key)

    def copy(self, from_area, from_key, to_area, to_key):
        self.s3.copy_object(Bucket=self.bucket(to_area), Key=to_key, CopySource={"Bucket": self.bucket(from_area), "Key": from_key})

    def move(self, from_area, from_key, to_area, to_key):
        self.copy(from_area, from_key, to_area, to_key)
        self.delete(from_area, from_key)


class Lease:
    """etl/protocol/lease.ts: numbered generations created with If-None-Match, so one contender wins."""

    def __init__(self, lake, holder, ttl_ms):
        self.lake, self.holder, self.ttl_ms = lake, holder, ttl_ms
        self.record = None

    def _keys(self):
        return [item["key"] for item in self.lake.list("etl", self.lake.config["leasePrefix"])]

    def _read(self, generation):
        if generation == 0:
            return None
        return self.lake.read_json("etl", h.lease_key(self.lake.config, generation))

    def _write(self, generation, released):
        record = h.lease_record(generation, self.holder, socket.gethostname(), os.getpid(), h.now_ms(), self.ttl_ms, released)
        try:
            self.lake.put_json("etl", h.lease_key(self.lake.config, generation), record, if_none_match=True)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
                return False
            raise
        self.record = record
        return True

    def acquire(self):
        generation = h.newest_generation(self.lake.config, self._keys())
        current = self._read(generation)
        if h.lease_is_live(current, h.now_ms()):
            raise h.EtlLockedError(h.locked_message(current))
        if not self._write(generation + 1, False):
            raise h.EtlLockedError(h.locked_message(self._read(generation + 1)))

    def confirm(self):
        generation = h.newest_generation(self.lake.config, self._keys())
        if generation != self.record["generation"] or not h.lease_is_live(self.record, h.now_ms()):
            raise h.LeaseLostError("run %s no longer holds the ETL lease; it stopped before committing; rerun it" % self.holder)
        if not self._write(generation + 1, False):
            raise h.LeaseLostError("run %s lost the ETL lease while renewing it; rerun it" % self.holder)

    def release(self):
        if self.record is not None:
            self._write(self.record["generation"] + 1, True)


def move_inputs(lake, inputs):
    moved = 0
    for item in inputs:
        if lake.exists("raw", item["key"]):
            lake.move("raw", item["key"], "processed", h.processed_key_for(lake.config, item["key"]))
            moved += 1
    return moved


def finish(lake, record):
    config = lake.config
    lake.put_json("etl", h.final_key(config, record["runId"]), record)
    for name in ("outputs", "commit", "manifest"):
        lake.delete("etl", h.open_key(config, record["runId"], name))


def recover_open_runs(lake, recovered_by):
    config = lake.config
    keys = [item["key"] for item in lake.list("etl", config["openPrefix"])]
    for run_id in h.parse_open_runs(config, keys):
        manifest = lake.read_json("etl", h.open_key(config, run_id, "manifest")) or {"inputs": []}
        commit = lake.read_json("etl", h.open_key(config, run_id, "commit"))
        final = lake.read_json("etl", h.final_key(config, run_id))
        action = h.recovery_action(commit is not None, final is not None)
        if action == "cleanup":
            finish(lake, final)
        elif action == "roll_forward":
            move_inputs(lake, manifest["inputs"])
            finish(lake, h.final_record(run_id, "committed", h.now_ms(), len(manifest["inputs"]), recovered_by,
                                        commit["counts"], commit["outputs"]))
        else:
            outputs = (lake.read_json("etl", h.open_key(config, run_id, "outputs")) or {"outputs": []})["outputs"]
            for output in outputs:
                lake.delete(output["area"], output["key"])
            finish(lake, h.final_record(run_id, "rolled_back", h.now_ms(), len(manifest["inputs"]), recovered_by))
        print("finished run %s that had stopped early: %s" % (run_id, action))


LINES_SCHEMA = StructType([
    StructField("source_key", StringType(), False),
    StructField("line_number", IntegerType(), False),
    StructField("line", StringType(), False),
])
LOCATIONS_SCHEMA = StructType([
    StructField("location_id", IntegerType(), False), StructField("country_name", StringType(), False),
    StructField("continent", StringType(), False), StructField("iso_alpha2", StringType(), True),
    StructField("iso_alpha3", StringType(), True), StructField("iso_numeric", StringType(), True),
])
EVENT_IDS_SCHEMA = StructType([StructField("event_id", StringType(), True)])
REJECTION_KEYS_SCHEMA = StructType([StructField("source_key", StringType(), True), StructField("line_number", LongType(), True)])
PARAMS_SCHEMA = StructType([
    StructField("run_id", StringType(), False), StructField("earliest_epoch", LongType(), False),
    StructField("latest_epoch", LongType(), False), StructField("rejected_at", TimestampType(), False),
])


READ_SCHEMA = StructType([
    StructField("source_key", StringType(), False),
    StructField("line_number", IntegerType(), False),
    StructField("line", StringType(), True),
    StructField("unreadable_detail", StringType(), True),
])


def read_inputs(spark, lake, inputs):
    """The inputs as rows (source_key, line_number, line, unreadable_detail): each object read whole with
    boto3 on the executors, decoded and split as etl/lines.ts does; an object that cannot be read at all
    is one row (key, 0, null, why) instead of failing the job (glue_helpers.read_input)."""
    bucket, config = lake.bucket("raw"), lake.config

    def read_partition(items):
        s3 = boto3.client("s3")
        for item in items:
            key = item["key"]
            _, lines, unreadable = h.read_input(config, key, lambda: s3.get_object(Bucket=bucket, Key=key)["Body"].read())
            if unreadable is not None:
                yield (key, 0, None, unreadable)
            for number, line in lines:
                yield (key, number, line, None)

    rdd = spark.sparkContext.parallelize(inputs, max(2, len(inputs) // 64)).mapPartitions(read_partition)
    return spark.createDataFrame(rdd, READ_SCHEMA)


def run_statement(spark, statements, name):
    """Runs one statement: a query returns its DataFrame; CACHE TABLE and CREATE VIEW run at once."""
    kind, sql = statements[name]
    result = spark.sql(sql)
    return result if kind == "query" else None


def write_table(lake, spark, view, table_prefix, area, run_id, output_format, partitioned):
    """Writes a view to a staging prefix with Spark, then copies each file to a name carrying the run id."""
    config = lake.config
    staging = h.staging_prefix(config, run_id, view)
    frame = spark.table(view)
    writer = (frame.repartition("event_date") if partitioned else frame.coalesce(1)).write.mode("overwrite")
    if partitioned:
        writer = writer.partitionBy("event_date")
    uri = "s3://%s/%s" % (lake.bucket("etl"), staging)
    if output_format == "csv":
        writer.option("header", True).csv(uri)
        extension = ".csv"
    else:
        writer.option("compression", "zstd").parquet(uri)
        extension = ".parquet"
    staged = [item["key"] for item in lake.list("etl", staging) if h.is_data_file(item["key"][len(staging):])]
    return [(key, {"area": area, "key": h.final_output_key(config, table_prefix, key[len(staging):], run_id, index, extension)})
            for index, key in enumerate(sorted(staged))]


def existing_event_ids(spark, lake, dates):
    config = lake.config
    keys = []
    for date in dates:
        keys += [item["key"] for item in lake.list(config["eventsArea"], "%sevent_date=%s/" % (config["eventsPrefix"], date))]
    bucket = lake.bucket(config["eventsArea"])
    parquet = ["s3://%s/%s" % (bucket, key) for key in keys if key.endswith(".parquet")]
    csv = ["s3://%s/%s" % (bucket, key) for key in keys if key.endswith(".csv")]
    frame = spark.createDataFrame([], EVENT_IDS_SCHEMA)
    if parquet:
        frame = frame.unionByName(spark.read.parquet(*parquet).select("event_id"))
    if csv:
        frame = frame.unionByName(spark.read.option("header", True).csv(csv).select("event_id"))
    return frame


def existing_rejections(spark, lake):
    """(source_key, line_number) of every rejection already stored, so that a replayed file is not quarantined twice."""
    config = lake.config
    bucket = lake.bucket(config["rejectedArea"])
    paths = ["s3://%s/%s" % (bucket, item["key"]) for item in lake.list(config["rejectedArea"], config["rejectedPrefix"])
             if item["key"].endswith(".parquet")]
    frame = spark.createDataFrame([], REJECTION_KEYS_SCHEMA)
    if paths:
        frame = frame.unionByName(spark.read.parquet(*paths).selectExpr("source_key", "CAST(line_number AS BIGINT) AS line_number"))
    return frame


def run_batch(spark, lake, statements, locations, args, inputs):
    config = lake.config
    run_id = h.new_run_id(h.now_ms(), uuid.uuid4().hex[:8])
    now_seconds = int(args["now"]) if args["now"] else h.now_ms() // 1000
    window = h.timestamp_window(config, now_seconds)
    lake.put_json("etl", h.open_key(config, run_id, "manifest"), h.manifest(run_id, h.now_ms(), args["format"], window, inputs))

    read = read_inputs(spark, lake, inputs).cache()
    lines = read.where("unreadable_detail IS NULL").select("source_key", "line_number", "line")
    lines.createOrReplaceTempView("raw_lines")
    read.where("unreadable_detail IS NOT NULL").selectExpr("source_key", "unreadable_detail AS reason_detail").createOrReplaceTempView("unreadable_inputs")
    lines_read = lines.count()
    files_unreadable = read.where("unreadable_detail IS NOT NULL").count()
    spark.createDataFrame(locations, LOCATIONS_SCHEMA).createOrReplaceTempView("locations")
    rejected_at = datetime.now(timezone.utc).replace(tzinfo=None)
    spark.createDataFrame([(run_id, window[0], window[1], rejected_at)], PARAMS_SCHEMA).createOrReplaceTempView("etl_params")

    steps = config["steps"]
    run_statement(spark, statements, steps["validated"])
    dates = [row["event_date"] for row in run_statement(spark, statements, steps["eventDates"]).collect()]
    existing_event_ids(spark, lake, dates).createOrReplaceTempView("existing_events")
    existing_rejections(spark, lake).createOrReplaceTempView("existing_rejections")
    for name in config["settleSteps"]:
        run_statement(spark, statements, name)
    rows = [(r["outcome"], r["detail"], r["line_count"]) for r in run_statement(spark, statements, steps["runCounts"]).collect()]
    counts = h.fold_counts(rows, lines_read, len(inputs) - files_unreadable, files_unreadable)

    staged = write_table(lake, spark, steps["eventsOut"], config["eventsPrefix"], config["eventsArea"], run_id, args["format"], True)
    if sum(counts["rejected"].values()) > 0:
        staged += write_table(lake, spark, steps["rejectedOut"], config["rejectedPrefix"], config["rejectedArea"], run_id, "parquet", False)
    outputs = [output for _, output in staged]
    lake.put_json("etl", h.open_key(config, run_id, "outputs"), {"runId": run_id, "outputs": outputs})
    for staging_key, output in staged:
        lake.copy("etl", staging_key, output["area"], output["key"])
    args["lease"].confirm()
    lake.put_json("etl", h.open_key(config, run_id, "commit"), h.commit_record(run_id, h.now_ms(), outputs, counts))

    moved = move_inputs(lake, inputs)
    finish(lake, h.final_record(run_id, "committed", h.now_ms(), len(inputs), None, counts, outputs))
    for staging_key, _ in staged:
        lake.delete("etl", staging_key)
    # The next batch creates the same views and cached tables again.
    spark.catalog.clearCache()
    for name in list(statements) + ["raw_lines", "unreadable_inputs", "locations", "etl_params", "existing_events", "existing_rejections"]:
        spark.catalog.dropTempView(name)
    return run_id, counts, moved


def main():
    args = job_arguments(sys.argv)
    spark = SparkSession.builder.appName("clickstream-bi-etl").getOrCreate()
    # What the transform assumes of Spark: UTC, JSON's last-key-wins, no ANSI cast errors.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.mapKeyDedupPolicy", "LAST_WIN")
    spark.conf.set("spark.sql.ansi.enabled", "false")
    s3 = boto3.client("s3")
    config = h.load_config(s3.get_object(Bucket=args["code_bucket"], Key=args["config_key"])["Body"].read().decode("utf-8"))
    sql_text = s3.get_object(Bucket=args["code_bucket"], Key=args["sql_key"])["Body"].read().decode("utf-8")
    statements = {name: (kind, sql) for name, kind, sql in h.split_statements(config, sql_text)}
    lake = Lake(s3, config, {"raw": args["raw_bucket"], "processed": args["processed_bucket"], "results": args["results_bucket"]})

    holder = h.new_run_id(h.now_ms(), uuid.uuid4().hex[:8])
    lease = Lease(lake, holder, int(args["lease_seconds"]) * 1000)
    lease.acquire()
    args["lease"] = lease
    try:
        recover_open_runs(lake, holder)
        inputs = [item for item in lake.list("raw", config["prefixes"]["raw"]) if h.is_input_key(config, item["key"])]
        if not inputs:
            print("nothing to read under s3://%s/%s" % (lake.bucket("raw"), config["prefixes"]["raw"]))
            return
        locations = h.parse_locations_csv(lake.get("reference", config["locationsKey"]).decode("utf-8"),
                                          "s3://%s/%s" % (lake.bucket("reference"), config["locationsKey"]))
        for batch in h.plan_batches(inputs, int(args["max_batch_mb"]) * 1024 * 1024):
            run_id, counts, moved = run_batch(spark, lake, statements, locations, args, batch)
            print(json.dumps({"runId": run_id, "counts": counts, "filesMoved": moved}))
    finally:
        lease.release()


if __name__ == "__main__":
    main()
