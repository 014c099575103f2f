"""The AWS engine of the ETL: a Glue 5.0 (Spark 3.5) job that runs the Spark rendering of the one
transform (etl/sql/*.sql, rendered by etl/transform.ts and uploaded as transform.spark.sql) under
the same commit protocol as the local engine (etl/run.ts, etl/protocol/):

  lease -> finish or roll back open runs -> per batch of raw inputs: manifest -> outputs (staged, then
  copied to names carrying the run id) -> commit record -> inputs moved raw/ -> processed/ -> final record

This script only reads input objects as lines with their key (or, for an object that cannot be read
at all, the reason) and writes outputs; every rule of the data lives in the SQL. Pure helpers live in
glue_helpers.py (tested with unittest). The objects are reached through S3Objects (boto3) on AWS;
etl/spark_local.py runs the same main() on local Spark, on S3 (moto) or on a folder lake.

Job arguments: --raw_bucket --processed_bucket --results_bucket --code_bucket --sql_key --config_key
--database, and optionally --format (parquet|csv), --max_batch_mb, --lease_seconds, --now (epoch
seconds), and for the protocol's tests --clock_ms (a fixed clock) and --crash_at (a crash point).
"""

import json
import os
import socket
import sys
import uuid
from datetime import datetime, timezone

import glue_helpers as h

REQUIRED = ["raw_bucket", "processed_bucket", "results_bucket", "code_bucket", "sql_key", "config_key", "database"]
OPTIONAL = {"format": "parquet", "max_batch_mb": "1024", "lease_seconds": "1800", "now": "", "clock_ms": "", "crash_at": ""}
# Above this size S3 refuses CopyObject: such objects are copied in parts (boto3's managed copy).
SINGLE_COPY_MAX_BYTES = 5 * 1024 ** 3


def job_arguments(argv):
    """Glue passes arguments as `--name value` among its own (--JOB_ID, --TempDir, ...), as
    awsglue.utils.getResolvedOptions reads them; that module exists only on Glue, and it cannot express
    optional arguments, so the job reads its own."""
    args = dict(OPTIONAL)
    for name in REQUIRED + list(OPTIONAL):
        flag = "--" + name
        if flag in argv:
            index = argv.index(flag)
            if index + 1 >= len(argv):
                raise SystemExit("job argument %s has no value; pass it as %s <value>" % (flag, flag))
            args[name] = argv[index + 1]
    missing = [name for name in REQUIRED if name not in args]
    if missing:
        raise SystemExit("missing job arguments: %s; the Glue job's DefaultArguments (etl/glue-artifacts.ts "
                         "glueJobArguments) set them" % ", ".join("--" + name for name in missing))
    return args


class S3Objects:
    """Objects in S3 buckets through boto3, as the Glue role may reach them (components/etl/glue-access.ts)."""

    def __init__(self, endpoint_url=None):
        import boto3
        from boto3.s3.transfer import TransferConfig

        self.endpoint_url = endpoint_url
        self.s3 = boto3.client("s3", endpoint_url=endpoint_url)
        # Glue 5.0's botocore (1.34.131) predates the IfNoneMatch parameter of PutObject (1.35.2): the
        # header is added to the request instead, before it is signed, while a conditional put is sent.
        self.conditional = False
        self.s3.meta.events.register("before-call.s3.PutObject", self._add_if_none_match)
        self.copy_config = TransferConfig(multipart_threshold=SINGLE_COPY_MAX_BYTES, multipart_chunksize=512 * 1024 ** 2)

    def uri(self, bucket, key):
        return "s3://%s/%s" % (bucket, key)

    def list(self, bucket, prefix):
        objects = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            objects.extend({"key": item["Key"], "size": item["Size"]} for item in page.get("Contents", []))
        return objects

    def get(self, bucket, key):
        from botocore.exceptions import ClientError

        try:
            return self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except ClientError as error:
            if _code(error) in ("NoSuchKey", "404", "NotFound"):
                return None
            raise

    def exists(self, bucket, key):
        # A HEAD of a missing key answers 403, not 404, where s3:ListBucket is granted only under an
        # s3:prefix condition (the Glue role's policy): a listing with the key as prefix answers both.
        page = self.s3.list_objects_v2(Bucket=bucket, Prefix=key, MaxKeys=1)
        return any(item["Key"] == key for item in page.get("Contents", []))

    def put(self, bucket, key, body, content_type, if_none_match=False):
        from botocore.exceptions import ClientError

        for attempt in range(h.CONFLICT_ATTEMPTS):
            self.conditional = if_none_match
            try:
                self.s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)
                return
            except ClientError as error:
                code = _code(error)
                if code in ("PreconditionFailed", "412"):
                    raise h.ObjectExistsError(key)
                if code not in ("ConditionalRequestConflict", "409"):
                    raise
                # 409: the conditional put overlapped another write to the key; S3 says retry.
                if attempt + 1 == h.CONFLICT_ATTEMPTS:
                    raise h.ConditionalConflictError(
                        "%s: S3 answered 409 ConditionalRequestConflict to %d conditional writes in a row (other writes "
                        "to the key kept overlapping them); nothing was written; rerun the job, and if it happens again, "
                        "look for another process writing to that key" % (self.uri(bucket, key), h.CONFLICT_ATTEMPTS)) from error
            finally:
                self.conditional = False

    def _add_if_none_match(self, params, **_):
        if self.conditional:
            params["headers"]["If-None-Match"] = "*"

    def delete(self, bucket, key):
        self.s3.delete_object(Bucket=bucket, Key=key)

    def copy(self, from_bucket, from_key, to_bucket, to_key, size):
        source = {"Bucket": from_bucket, "Key": from_key}
        if size is not None and size < SINGLE_COPY_MAX_BYTES:
            self.s3.copy_object(Bucket=to_bucket, Key=to_key, CopySource=source)
        else:
            self.s3.copy(source, to_bucket, to_key, Config=self.copy_config)

    def reader(self):
        """A function (bucket, key) -> bytes that Spark can ship to its executors."""
        endpoint_url = self.endpoint_url
        clients = {}  # shipped with the function: one client per task, made on first use

        def read(bucket, key):
            if "s3" not in clients:
                import boto3

                clients["s3"] = boto3.client("s3", endpoint_url=endpoint_url)
            return clients["s3"].get_object(Bucket=bucket, Key=key)["Body"].read()

        return read


def _code(error):
    return str(error.response.get("Error", {}).get("Code", ""))


class Lake:
    """The stage's buckets, addressed by area (model/layout.ts BUCKET_OF_AREA), through one objects backend."""

    def __init__(self, objects, config, buckets):
        self.objects, self.config, self.buckets = objects, config, buckets

    def bucket(self, area):
        return h.bucket_for_area(self.config, area, self.buckets)

    def uri(self, area, key):
        return self.objects.uri(self.bucket(area), key)

    def list(self, area, prefix):
        return self.objects.list(self.bucket(area), prefix)

    def get(self, area, key):
        body = self.objects.get(self.bucket(area), key)
        if body is None:
            raise FileNotFoundError("%s does not exist" % self.uri(area, key))
        return body

    def exists(self, area, key):
        return self.objects.exists(self.bucket(area), key)

    def put_json(self, area, key, value, if_none_match=False):
        body = (json.dumps(value, indent=2) + "\n").encode("utf-8")
        self.objects.put(self.bucket(area), key, body, "application/json", if_none_match)

    def read_json(self, area, key):
        body = self.objects.get(self.bucket(area), key)
        return None if body is None else json.loads(body)

    def delete(self, area, key):
        self.objects.delete(self.bucket(area), key)

    def copy(self, from_area, from_key, to_area, to_key, size=None):
        self.objects.copy(self.bucket(from_area), from_key, self.bucket(to_area), to_key, size)

    def move(self, from_area, from_key, to_area, to_key, size=None):
        self.copy(from_area, from_key, to_area, to_key, size)
        self.delete(from_area, from_key)


class Lease:
    """etl/protocol/lease.ts: numbered generations created with If-None-Match, so one contender wins."""

    def __init__(self, lake, holder, ttl_ms, clock):
        self.lake, self.holder, self.ttl_ms, self.clock = lake, holder, ttl_ms, clock
        self.record = None

    def _keys(self):
        return [item["key"] for item in self.lake.list("etl", self.lake.config["leasePrefix"])]

    def _read(self, generation):
        if generation == 0:
            return None
        return self.lake.read_json("etl", h.lease_key(self.lake.config, generation))

    def _write(self, generation, released):
        record = h.lease_record(generation, self.holder, socket.gethostname(), os.getpid(), self.clock(), self.ttl_ms, released)
        try:
            self.lake.put_json("etl", h.lease_key(self.lake.config, generation), record, if_none_match=True)
        except h.ObjectExistsError:
            return False
        self.record = record
        return True

    def acquire(self):
        keys = self._keys()
        generation = h.newest_generation(self.lake.config, keys)
        current = self._read(generation)
        if h.lease_is_live(current, self.clock()):
            raise h.EtlLockedError(h.locked_message(current))
        if not self._write(generation + 1, False):
            raise h.EtlLockedError(h.locked_message(self._read(generation + 1)))
        # Old generations only record history; a few are kept for diagnosis (etl/protocol/lease.ts).
        for key in h.stale_lease_keys(self.lake.config, keys, generation + 1):
            self.lake.delete("etl", key)

    def renew(self):
        """Extends the lease once a third of it has passed; LeaseLostError if another run took it."""
        if self.clock() - h.parse_iso_ms(self.record["acquiredAt"]) < self.ttl_ms / 3:
            return
        if not self._write(self.record["generation"] + 1, False):
            raise h.LeaseLostError("run %s lost the ETL lease while renewing it; rerun it" % self.holder)

    def confirm(self):
        generation = h.newest_generation(self.lake.config, self._keys())
        if generation != self.record["generation"] or not h.lease_is_live(self.record, self.clock()):
            raise h.LeaseLostError("run %s no longer holds the ETL lease; it stopped before committing; rerun it, "
                                   "with a longer --lease_seconds if runs take that long" % self.holder)
        self.renew()

    def release(self):
        if self.record is not None:
            self._write(self.record["generation"] + 1, True)


def move_inputs(lake, inputs, checkpoint=lambda point: None):
    moved = 0
    for item in inputs:
        if lake.exists("raw", item["key"]):
            lake.move("raw", item["key"], "processed", h.processed_key_for(lake.config, item["key"]), item.get("size"))
            moved += 1
            checkpoint("mid-move")
    return moved


def finish(lake, record):
    config = lake.config
    lake.put_json("etl", h.final_key(config, record["runId"]), record)
    for name in ("outputs", "commit", "manifest"):
        lake.delete("etl", h.open_key(config, record["runId"], name))


def recover_open_runs(lake, recovered_by, clock):
    """etl/protocol/run-state.ts recoverOpenRuns: finishes or rolls back every run that stopped early."""
    config = lake.config
    keys = [item["key"] for item in lake.list("etl", config["openPrefix"])]
    recovered = []
    for run_id in h.parse_open_runs(config, keys):
        manifest = lake.read_json("etl", h.open_key(config, run_id, "manifest")) or {"inputs": []}
        commit = lake.read_json("etl", h.open_key(config, run_id, "commit"))
        final = lake.read_json("etl", h.final_key(config, run_id))
        action = h.recovery_action(commit is not None, final is not None)
        if action == "cleanup":
            # Stopped while cleaning up: the final record stands.
            finish(lake, final)
            continue
        if action == "roll_forward":
            moved = move_inputs(lake, manifest["inputs"])
            finish(lake, h.final_record(run_id, "committed", clock(), len(manifest["inputs"]), recovered_by,
                                        commit["counts"], commit["outputs"]))
            recovered.append({"runId": run_id, "action": "rolled_forward", "inputsMoved": moved, "outputsDeleted": 0})
        else:
            outputs = (lake.read_json("etl", h.open_key(config, run_id, "outputs")) or {"outputs": []})["outputs"]
            for output in outputs:
                lake.delete(output["area"], output["key"])
            finish(lake, h.final_record(run_id, "rolled_back", clock(), len(manifest["inputs"]), recovered_by))
            recovered.append({"runId": run_id, "action": "rolled_back", "inputsMoved": 0, "outputsDeleted": len(outputs)})
        print("finished run %s that had stopped early: %s" % (run_id, recovered[-1]["action"]))
    return recovered


def read_schema():
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    return StructType([
        StructField("source_key", StringType(), False),
        StructField("line_number", IntegerType(), False),
        StructField("line", StringType(), True),
        StructField("unreadable_detail", StringType(), True),
    ])


def read_inputs(spark, lake, inputs):
    """The inputs as rows (source_key, line_number, line, unreadable_detail): each object read whole on the
    executors, decoded and split as etl/lines.ts does; an object that cannot be read at all is one row
    (key, 0, null, why) instead of failing the job (glue_helpers.read_input). The keys travel as data,
    never as a path list, so commas and glob characters in keys stay plain."""
    bucket, config = lake.bucket("raw"), lake.config
    read = lake.objects.reader()

    def read_partition(items):
        for item in items:
            key = item["key"]
            _, lines, unreadable = h.read_input(config, key, lambda: read(bucket, key))
            if unreadable is not None:
                yield (key, 0, None, unreadable)
            for number, line in lines:
                yield (key, number, line, None)

    slices = max(1, min(len(inputs), spark.sparkContext.defaultParallelism))
    rdd = spark.sparkContext.parallelize(inputs, slices).mapPartitions(read_partition)
    return spark.createDataFrame(rdd, read_schema())


def run_statement(spark, statements, name, kept):
    """Runs one statement: a query returns its DataFrame; a view is named at once; a step to materialize
    (rendered as a view) is computed once, and its view then names the stored rows (kept[name]), so that
    later statements plan against a scan of them, not against the step's whole plan again: analysing
    and optimising the validation's CASE once per reading statement cost minutes per job."""
    kind, sql = statements[name]
    result = spark.sql(sql)
    if kind == "materialize":
        kept[name] = spark.table(name).localCheckpoint(eager=True)
        kept[name].createOrReplaceTempView(name)
    return result if kind == "query" else None


# The local engine's CSV dialect (DuckDB's): a header, quotes doubled; values may span lines.
CSV_OPTIONS = {"header": True, "escape": '"', "multiLine": True}


def csv_frame(frame, config):
    """Double columns as text, as the local engine's CSV writes them (5e-05, 999999990.0), where Spark's CSV
    writer would write Java's (5.0E-5, 9.9999999E8): the SQL comes from etl/dialect.ts sparkCsvDouble."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType

    def column(field):
        name = "`%s`" % field.name
        if isinstance(field.dataType, DoubleType):
            return F.expr(config["csvDoubleSql"].replace("{column}", name)).alias(field.name)
        return F.col(name)

    return frame.select([column(field) for field in frame.schema.fields])


def write_table(lake, spark, view, table_prefix, area, run_id, output_format, partitioned):
    """Writes a view to a staging prefix with Spark, then names each file as the local engine does."""
    config = lake.config
    staging = h.staging_prefix(config, run_id, view)
    frame = spark.table(view)
    if output_format == "csv":
        frame = csv_frame(frame, config)
    writer = (frame.repartition("event_date") if partitioned else frame.coalesce(1)).write.mode("overwrite")
    if partitioned:
        writer = writer.partitionBy("event_date")
    uri = lake.uri("etl", staging)
    if output_format == "csv":
        # As the local engine's CSV writes them: timestamps as 2026-11-24 10:00:00 (no zone suffix), quotes
        # doubled rather than backslash-escaped, spaces around values kept.
        writer.options(**CSV_OPTIONS).option("ignoreLeadingWhiteSpace", False).option("ignoreTrailingWhiteSpace", False) \
            .option("timestampNTZFormat", "yyyy-MM-dd HH:mm:ss").csv(uri)
        extension = ".csv"
    else:
        writer.option("compression", "zstd").parquet(uri)
        extension = ".parquet"
    staged = [item for item in lake.list("etl", staging) if h.is_data_file(item["key"][len(staging):])]
    relative = [item["key"][len(staging):] for item in staged]
    names = h.final_output_keys(config, table_prefix, relative, run_id, extension, partitioned)
    return [(item, {"area": area, "key": name}) for item, name in zip(staged, names)]


def existing_event_ids(spark, lake, dates):
    from pyspark.sql.types import StringType, StructField, StructType

    config = lake.config
    keys = []
    for date in dates:
        keys += [item["key"] for item in lake.list(config["eventsArea"], "%sevent_date=%s/" % (config["eventsPrefix"], date))]
    parquet = [lake.uri(config["eventsArea"], key) for key in keys if key.endswith(".parquet")]
    csv = [lake.uri(config["eventsArea"], key) for key in keys if key.endswith(".csv")]
    frame = spark.createDataFrame([], StructType([StructField("event_id", StringType(), True)]))
    if parquet:
        frame = frame.unionByName(spark.read.parquet(*parquet).select("event_id"))
    if csv:
        frame = frame.unionByName(spark.read.options(**CSV_OPTIONS).csv(csv).select("event_id"))
    return frame


def existing_rejections(spark, lake):
    """(source_key, line_number) of every rejection already stored, so that a replayed file is not quarantined twice."""
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    config = lake.config
    paths = [lake.uri(config["rejectedArea"], item["key"]) for item in lake.list(config["rejectedArea"], config["rejectedPrefix"])
             if item["key"].endswith(".parquet")]
    frame = spark.createDataFrame([], StructType([StructField("source_key", StringType(), True), StructField("line_number", LongType(), True)]))
    if paths:
        frame = frame.unionByName(spark.read.parquet(*paths).selectExpr("source_key", "CAST(line_number AS BIGINT) AS line_number"))
    return frame


BATCH_VIEWS = ["raw_lines", "unreadable_inputs", "locations", "etl_params", "existing_events", "existing_rejections"]


def release_batch(spark, statements, read, kept):
    """Drops what one batch stored and named in its session, whether it finished or stopped. Only its
    own: a local runner runs other jobs in the same SparkContext, beside or after this one."""
    for frame in kept.values():
        # The checkpointed rows stay in the block manager until their RDD is unpersisted (or, failing
        # that, until the JVM collects it and Spark's context cleaner drops them).
        try:
            frame._jdf.queryExecution().analyzed().rdd().unpersist(False)
        except Exception as error:  # noqa: BLE001 - freeing early is an optimisation, never a failure
            print("could not free a checkpointed step at once: %s" % error)
    read.unpersist()
    for name in list(statements) + BATCH_VIEWS:
        spark.catalog.dropTempView(name)


def run_batch(spark, lake, statements, locations, args, inputs, context):
    config, clock, checkpoint = lake.config, context["clock"], context["checkpoint"]
    run_id = h.new_run_id(clock(), uuid.uuid4().hex[:8])
    now_seconds = int(args["now"]) if args["now"] else clock() // 1000
    window = h.timestamp_window(config, now_seconds)
    lake.put_json("etl", h.open_key(config, run_id, "manifest"), h.manifest(run_id, clock(), args["format"], window, inputs))
    checkpoint("after-manifest")

    read = read_inputs(spark, lake, inputs).cache()
    kept = {}
    try:
        return transform_and_commit(spark, lake, statements, locations, args, inputs, context, run_id, window, read, kept)
    finally:
        release_batch(spark, statements, read, kept)


def transform_and_commit(spark, lake, statements, locations, args, inputs, context, run_id, window, read, kept):
    from pyspark.sql.types import IntegerType, LongType, StringType, StructField, StructType, TimestampType

    config, clock, checkpoint = lake.config, context["clock"], context["checkpoint"]
    lines = read.where("unreadable_detail IS NULL").select("source_key", "line_number", "line")
    lines.createOrReplaceTempView("raw_lines")
    read.where("unreadable_detail IS NOT NULL").selectExpr("source_key", "unreadable_detail AS reason_detail").createOrReplaceTempView("unreadable_inputs")
    lines_read = lines.count()
    files_unreadable = read.where("unreadable_detail IS NOT NULL").count()
    spark.createDataFrame(locations, StructType([
        StructField("location_id", IntegerType(), False), StructField("country_name", StringType(), False),
        StructField("continent", StringType(), False), StructField("iso_alpha2", StringType(), True),
        StructField("iso_alpha3", StringType(), True), StructField("iso_numeric", StringType(), True),
    ])).createOrReplaceTempView("locations")
    rejected_at = datetime.fromtimestamp(clock() / 1000, tz=timezone.utc).replace(tzinfo=None)
    spark.createDataFrame([(run_id, window[0], window[1], rejected_at)], StructType([
        StructField("run_id", StringType(), False), StructField("earliest_epoch", LongType(), False),
        StructField("latest_epoch", LongType(), False), StructField("rejected_at", TimestampType(), False),
    ])).createOrReplaceTempView("etl_params")

    steps = config["steps"]
    run_statement(spark, statements, steps["validated"], kept)
    dates = [row["event_date"] for row in run_statement(spark, statements, steps["eventDates"], kept).collect()]
    existing_event_ids(spark, lake, dates).createOrReplaceTempView("existing_events")
    existing_rejections(spark, lake).createOrReplaceTempView("existing_rejections")
    for name in config["settleSteps"]:
        run_statement(spark, statements, name, kept)
    rows = [(r["outcome"], r["detail"], r["line_count"]) for r in run_statement(spark, statements, steps["runCounts"], kept).collect()]
    counts = h.fold_counts(rows, lines_read, len(inputs) - files_unreadable, files_unreadable)
    context["lease"].renew()

    staged = write_table(lake, spark, steps["eventsOut"], config["eventsPrefix"], config["eventsArea"], run_id, args["format"], True)
    staged += write_table(lake, spark, steps["sessionDaysOut"], config["sessionDaysPrefix"], config["sessionDaysArea"], run_id, "parquet", True)
    if sum(counts["rejected"].values()) > 0:
        staged += write_table(lake, spark, steps["rejectedOut"], config["rejectedPrefix"], config["rejectedArea"], run_id, "parquet", False)
    outputs = [output for _, output in staged]
    lake.put_json("etl", h.open_key(config, run_id, "outputs"), {"runId": run_id, "outputs": outputs})
    for index, (item, output) in enumerate(staged):
        lake.copy("etl", item["key"], output["area"], output["key"], item["size"])
        if index == 0 and len(staged) > 1:
            checkpoint("mid-write")
    checkpoint("after-write")
    context["lease"].confirm()
    lake.put_json("etl", h.open_key(config, run_id, "commit"), h.commit_record(run_id, clock(), outputs, counts))
    checkpoint("after-commit")

    moved = move_inputs(lake, inputs, checkpoint)
    checkpoint("after-move")
    finish(lake, h.final_record(run_id, "committed", clock(), len(inputs), None, counts, outputs))
    # Everything the writers left in staging, their bookkeeping files included.
    for item in lake.list("etl", "%s%s/" % (config["stagingPrefix"], run_id)):
        lake.delete("etl", item["key"])
    return {"runId": run_id, "counts": counts, "outputs": outputs, "moved": moved,
            "bytes": sum(item["size"] for item in inputs), "inputs": len(inputs)}


def configure(spark):
    """What the transform assumes of Spark: UTC, no ANSI cast errors; Parquet timestamps as INT64
    microseconds (Spark's default is INT96), as DuckDB writes them."""
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.ansi.enabled", "false")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")


def main(argv, spark=None, objects=None):
    """Runs the job; returns a summary of what it did (etl/spark-engine.ts reads it)."""
    args = job_arguments(argv)
    if spark is None:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.appName("clickstream-bi-etl").getOrCreate()
    configure(spark)
    objects = objects or S3Objects()
    config = h.load_config(objects.get(args["code_bucket"], args["config_key"]).decode("utf-8"))
    sql_text = objects.get(args["code_bucket"], args["sql_key"]).decode("utf-8")
    statements = {name: (kind, sql) for name, kind, sql in h.split_statements(config, sql_text)}
    lake = Lake(objects, config, {"raw": args["raw_bucket"], "processed": args["processed_bucket"], "results": args["results_bucket"]})
    clock = (lambda: int(args["clock_ms"])) if args["clock_ms"] else h.now_ms
    started = h.now_ms()

    holder = h.new_run_id(clock(), uuid.uuid4().hex[:8])
    lease = Lease(lake, holder, int(args["lease_seconds"]) * 1000, clock)
    lease.acquire()
    context = {"lease": lease, "clock": clock, "checkpoint": h.checkpoint_for(config, args["crash_at"] or None)}
    crashed = False
    try:
        recovered = recover_open_runs(lake, holder, clock)
        listed = lake.list("raw", config["prefixes"]["raw"])
        inputs = [item for item in listed if h.is_input_key(config, item["key"])]
        ignored = [item["key"] for item in listed if not h.is_input_key(config, item["key"])]
        runs = []
        if not inputs:
            print("nothing to read under %s" % lake.uri("raw", config["prefixes"]["raw"]))
        else:
            locations = h.parse_locations_csv(lake.get("reference", config["locationsKey"]).decode("utf-8"),
                                              lake.uri("reference", config["locationsKey"]))
            for batch in h.plan_batches(inputs, int(args["max_batch_mb"]) * 1024 * 1024):
                lease.renew()
                run = run_batch(spark, lake, statements, locations, args, batch, context)
                print(json.dumps({"runId": run["runId"], "counts": run["counts"], "filesMoved": run["moved"]}))
                runs.append(run)
        return {"runs": runs, "recovered": recovered, "ignored": ignored, "seconds": (h.now_ms() - started) / 1000}
    except h.CrashInjectedError:
        crashed = True
        raise
    finally:
        # A crash leaves the lease held, as a killed process would; any other failure frees it.
        if not crashed:
            lease.release()


if __name__ == "__main__":
    main(sys.argv)
