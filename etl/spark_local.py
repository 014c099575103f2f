"""Runs etl/glue_job.py on local Spark (pyspark 3.5.4, as Glue 5.0), with the arguments the Glue job gets,
for `npm run etl -- --engine spark` and the tests (etl/spark-engine.ts drives it). Not shipped to Glue.

The lake is S3 (the twin's moto server, or any endpoint: AWS_ENDPOINT_URL_S3) or a folder; Spark
reaches S3 through hadoop-aws's S3A file system, registered for `s3://` as Glue's own is.

  spark_local.py run  '<request json>'   one job, then exit
  spark_local.py serve                    one SparkSession (one JVM) for many jobs: a request per stdin
                                          line, a reply per stdout line; jobs run side by side

A request: {"id", "argv": [...], "folder": <lake folder or null>, "endpoint": <S3 endpoint or null>,
"conf": <optional Spark SQL settings>}, or {"id", "stats": true} for the peak memory so far. "conf" is
for tests only: it is set after the job's own settings (glue_job.configure), e.g. to write Spark's
default INT96 timestamps where the job writes INT64; Glue never sees it.
A reply: {"id", "ok": true, "summary": ...} or {"id", "ok": false, "error", "kind"}. Job output goes
to stderr, so stdout carries replies only.
"""

import errno
import json
import os
import shutil
import sys
import threading
import traceback
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import glue_helpers as h  # noqa: E402
import glue_job  # noqa: E402

TEMP_FOLDER = ".tmp"


class FolderObjects:
    """A folder lake (store/fs-store.ts): every area in one folder, a key is a file path below it.
    Writes go to <root>/.tmp/ and are renamed (or, for a conditional put, linked) into place."""

    def __init__(self, root):
        self.root = os.path.abspath(root)

    def _path(self, key):
        return os.path.join(self.root, *key.split("/"))

    def uri(self, bucket, key):
        return "file://" + self._path(key) + ("/" if key.endswith("/") else "")

    def list(self, bucket, prefix):
        folder_key = prefix[:prefix.rfind("/") + 1]
        objects = []
        start = self._path(folder_key) if folder_key else self.root
        for directory, folders, files in os.walk(start):
            relative = os.path.relpath(directory, self.root).replace(os.sep, "/")
            base = "" if relative == "." else relative + "/"
            if base == "":
                folders[:] = [name for name in folders if name != TEMP_FOLDER]
            for name in files:
                key = base + name
                if key.startswith(prefix):
                    objects.append({"key": key, "size": os.path.getsize(os.path.join(directory, name))})
        return sorted(objects, key=lambda item: item["key"].encode("utf-8"))

    def get(self, bucket, key):
        try:
            with open(self._path(key), "rb") as file:
                return file.read()
        except FileNotFoundError:
            return None

    def exists(self, bucket, key):
        return os.path.isfile(self._path(key))

    def _temp(self, body):
        os.makedirs(os.path.join(self.root, TEMP_FOLDER), exist_ok=True)
        temp = os.path.join(self.root, TEMP_FOLDER, "%d-%s" % (os.getpid(), uuid.uuid4().hex))
        with open(temp, "wb") as file:
            file.write(body)
            file.flush()
            os.fsync(file.fileno())
        return temp

    def put(self, bucket, key, body, content_type, if_none_match=False):
        temp = self._temp(body)
        target = self._path(key)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            if if_none_match:
                try:
                    os.link(temp, target)
                except OSError as error:
                    if error.errno == errno.EEXIST:
                        raise h.ObjectExistsError(key)
                    raise
            else:
                os.replace(temp, target)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)

    def delete(self, bucket, key):
        try:
            os.unlink(self._path(key))
        except FileNotFoundError:
            return
        self._prune(os.path.dirname(self._path(key)))

    def _prune(self, folder):
        while os.path.abspath(folder) != self.root:
            try:
                os.rmdir(folder)
            except OSError:
                return
            folder = os.path.dirname(folder)

    def copy(self, from_bucket, from_key, to_bucket, to_key, size):
        with open(self._path(from_key), "rb") as file:
            temp = self._temp(file.read()) if size is not None and size < 64 * 1024 ** 2 else None
        if temp is None:
            os.makedirs(os.path.join(self.root, TEMP_FOLDER), exist_ok=True)
            temp = os.path.join(self.root, TEMP_FOLDER, "%d-%s" % (os.getpid(), uuid.uuid4().hex))
            shutil.copyfile(self._path(from_key), temp)
        target = self._path(to_key)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(temp, target)

    def reader(self):
        root = self.root

        def read(bucket, key):
            with open(os.path.join(root, *key.split("/")), "rb") as file:
                return file.read()

        return read


def spark_session(jars, memory):
    """local[2] Spark with S3A for s3:// (hadoop-aws matching pyspark's Hadoop 3.3.4) and few shuffle partitions."""
    from pyspark.sql import SparkSession

    # Spark's Python workers run this interpreter (.venv: Glue 5.0's pinned libraries, boto3 1.34.131
    # for the executors' reads), not whatever `python3` is first on PATH.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = (SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]")).appName("clickstream-bi-etl-local")
               .config("spark.jars", ",".join(jars))
               .config("spark.driver.memory", memory)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", os.environ.get("SPARK_SHUFFLE_PARTITIONS", "2"))
               .config("spark.hadoop.fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem")
               .config("spark.hadoop.fs.s3a.path.style.access", "true")
               .config("spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
               .config("spark.hadoop.fs.s3a.change.detection.mode", "none")
               .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false"))
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3")
    if endpoint:
        builder = (builder.config("spark.hadoop.fs.s3a.endpoint", endpoint)
                   .config("spark.hadoop.fs.s3a.connection.ssl.enabled", str(endpoint.startswith("https")).lower())
                   .config("spark.hadoop.fs.s3a.endpoint.region", os.environ.get("AWS_REGION", "us-east-1")))
    for name, variable in (("access.key", "AWS_ACCESS_KEY_ID"), ("secret.key", "AWS_SECRET_ACCESS_KEY")):
        if os.environ.get(variable):
            builder = builder.config("spark.hadoop.fs.s3a." + name, os.environ[variable])
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    # What the job's --extra-py-files does on Glue: the helpers reach the executors' Python.
    spark.sparkContext.addPyFile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "glue_helpers.py"))
    return spark


# The settings a request's "conf" puts over the job's own, per job thread (jobs run side by side).
_request_conf = threading.local()
_job_configure = glue_job.configure


def _configure_then_override(spark):
    _job_configure(spark)
    for key, value in getattr(_request_conf, "settings", {}).items():
        spark.conf.set(key, value)


glue_job.configure = _configure_then_override


def run_job(spark, request):
    folder = request.get("folder")
    objects = FolderObjects(folder) if folder else glue_job.S3Objects(request.get("endpoint") or None)
    _request_conf.settings = request.get("conf") or {}
    try:
        # Each job gets its own session (its own temporary views), sharing the one SparkContext.
        return glue_job.main(["glue_job.py"] + request["argv"], spark.newSession(), objects)
    finally:
        _request_conf.settings = {}


def process_tree_usage():
    """Peak resident memory (VmHWM, MB) and CPU seconds of this process and its descendants (the JVM,
    Spark's Python workers), summed, from /proc."""
    children, cpu = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/stat" % pid) as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(pid))
        cpu[int(pid)] = sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    memory, seconds, todo = 0, 0.0, [os.getpid()]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        seconds += cpu.get(pid, 0.0)
        try:
            with open("/proc/%d/status" % pid) as file:
                memory += next(int(line.split()[1]) for line in file if line.startswith("VmHWM:"))
        except (OSError, StopIteration):
            continue
    return {"peakRssMb": memory / 1024, "cpuSeconds": seconds}


def reply(request_id, outcome):
    return json.dumps(dict(outcome, id=request_id))


def outcome_of(spark, request):
    if request.get("stats"):
        return dict(process_tree_usage(), ok=True)
    try:
        return {"ok": True, "summary": run_job(spark, request)}
    except (h.EtlLockedError, h.LeaseLostError, h.CrashInjectedError, h.ReconciliationError) as error:
        return {"ok": False, "kind": type(error).__name__, "error": str(error)}
    except Exception as error:  # noqa: BLE001 - reported to the caller with its trace
        return {"ok": False, "kind": type(error).__name__, "error": "%s\n%s" % (error, traceback.format_exc())}


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    jars = [path for path in os.environ.get("SPARK_LOCAL_JARS", "").split(os.pathsep) if path]
    spark = spark_session(jars, os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
    # print() in the job goes to stderr; replies are written to the real stdout.
    out = sys.stdout
    sys.stdout = sys.stderr
    if mode == "run":
        request = json.loads(sys.argv[2])
        out.write(reply(request.get("id"), outcome_of(spark, request)) + "\n")
        out.flush()
        return
    if mode != "serve":
        raise SystemExit("usage: spark_local.py run '<request json>' | serve")
    write_lock = threading.Lock()
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()

    def handle(request):
        line = reply(request.get("id"), outcome_of(spark, request))
        with write_lock:
            out.write(line + "\n")
            out.flush()

    threads = []
    for line in sys.stdin:
        if line.strip():
            thread = threading.Thread(target=handle, args=(json.loads(line),), daemon=True)
            thread.start()
            threads.append(thread)
    # stdin closed: the parent is done or gone. A job still running stops here, as a crash would (the
    # commit protocol makes that safe); the JVM ends with this process.
    if any(thread.is_alive() for thread in threads):
        os._exit(1)
    spark.stop()


if __name__ == "__main__":
    main()
