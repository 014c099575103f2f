"""Pure helpers of the Glue ETL job (etl/glue_job.py): no Spark, no AWS, so they run under unittest.

They mirror the local engine's TypeScript, reading every constant from the configuration that
etl/glue-artifacts.ts renders from the model (etl_config.json):

- decode_object, split_lines     etl/lines.ts
- read_input                     etl/read-input.ts (an unreadable input is quarantined whole)
- split_statements               etl/transform.ts renderTransformFile
- lease records                  etl/protocol/lease.ts
- run records and recovery       etl/protocol/run-state.ts
- plan_batches                   etl/inputs.ts
"""

import csv
import gzip
import io
import json
import time
import zlib
from datetime import datetime, timezone

BLANK_CHARACTERS = " \t\r"
LEASE_GENERATION_DIGITS = 12
# S3 answers 409 ConditionalRequestConflict when a conditional put overlaps another write: retry that often.
CONFLICT_ATTEMPTS = 3


class EtlLockedError(Exception):
    """Another run holds the lease."""


class LeaseLostError(Exception):
    """This run's lease was taken over before it committed."""


class ReconciliationError(Exception):
    """A run's lines do not add up; nothing is committed."""


class ObjectExistsError(Exception):
    """A conditional put found the key taken."""


class ConditionalConflictError(Exception):
    """S3 answered 409 ConditionalRequestConflict to every attempt of a conditional put."""


class CrashInjectedError(Exception):
    """A run told to crash at a point (etl/protocol/crash.ts) stops there, as a killed process would."""


def checkpoint_for(config, crash_at):
    """etl/protocol/crash.ts checkpointFor: a function that raises CrashInjectedError at crash_at."""
    if crash_at is not None and crash_at not in config["crashPoints"]:
        raise ValueError('--crash_at "%s" is not a crash point; use one of %s' % (crash_at, ", ".join(config["crashPoints"])))

    def checkpoint(point):
        if point == crash_at:
            raise CrashInjectedError('ETL run crashed on purpose at "%s" (crash injection for tests)' % point)

    return checkpoint


def load_config(text):
    """Parses etl_config.json."""
    return json.loads(text)


# --- inputs and lines -------------------------------------------------------------------------------


def is_input_key(config, key):
    return any(key.endswith(extension) for extension in config["inputExtensions"])


def decode_object(key, data):
    """Bytes of an input object to text: gunzip .gz, decode UTF-8 (invalid bytes become U+FFFD), drop a BOM."""
    if key.endswith(".gz"):
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def gunzip_message(error):
    """The message Node's zlib (the local engine's gunzip) gives for the same damage, where Python's differs."""
    if isinstance(error, EOFError):
        return "unexpected end of file"
    if isinstance(error, gzip.BadGzipFile) and str(error).startswith("Not a gzipped file"):
        return "incorrect header check"
    return str(error)


def is_permission_denied(error):
    """The object exists but this process may not read it: the OS's EACCES, or S3's AccessDenied (403)."""
    if isinstance(error, PermissionError):
        return True
    code = (getattr(error, "response", None) or {}).get("Error", {}).get("Code")
    return code in ("AccessDenied", "403")


def unreadable_detail(config, message):
    return config["unreadableFileDetail"].replace("%s", message)


def read_input(config, key, fetch):
    """(key, [(line_number, line)], None) for an input read; (key, [], detail) for one that cannot be read
    at all (no permission, not whole gzip), which the run quarantines whole. fetch() returns its bytes;
    any other failure of fetch (missing object, network) is raised: it says nothing about the file."""
    try:
        data = fetch()
    except Exception as error:  # noqa: BLE001 - classified just below, everything else re-raised
        if not is_permission_denied(error):
            raise
        return key, [], unreadable_detail(config, str(error))
    try:
        text = decode_object(key, data)
    except (EOFError, OSError, zlib.error) as error:
        return key, [], unreadable_detail(config, gunzip_message(error))
    return key, split_lines(text), None


def split_lines(text):
    """(line_number, line) for each non-blank line; numbers count every line from 1; one CR before LF goes."""
    lines = []
    if text == "":
        return lines
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()
    for index, line in enumerate(parts):
        if line.endswith("\r"):
            line = line[:-1]
        if line.strip(BLANK_CHARACTERS) == "":
            continue
        lines.append((index + 1, line))
    return lines


def plan_batches(inputs, max_bytes):
    """Consecutive batches of {key, size} inputs of at most max_bytes (a larger input is a batch alone)."""
    batches, current, size = [], [], 0
    for item in inputs:
        if current and size + item["size"] > max_bytes:
            batches.append(current)
            current, size = [], 0
        current.append(item)
        size += item["size"]
    if current:
        batches.append(current)
    return batches


# --- keys -------------------------------------------------------------------------------------------


def processed_key_for(config, raw_key):
    raw, processed = config["prefixes"]["raw"], config["prefixes"]["processed"]
    if not raw_key.startswith(raw):
        raise ValueError('processed_key_for: key "%s" is not under %s' % (raw_key, raw))
    return processed + raw_key[len(raw):]


def bucket_for_area(config, area, buckets):
    """The bucket of a lake area: buckets maps the roles raw, processed, results to names."""
    return buckets[config["bucketOfArea"][area]]


def new_run_id(now_ms, random_hex):
    stamp = datetime.fromtimestamp(now_ms / 1000, tz=timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return "%s-%s" % (stamp, random_hex)


def open_key(config, run_id, name):
    return "%s%s/%s.json" % (config["openPrefix"], run_id, name)


def final_key(config, run_id):
    return "%s%s.json" % (config["runsPrefix"], run_id)


def staging_prefix(config, run_id, table):
    return "%s%s/%s/" % (config["stagingPrefix"], run_id, table)


def final_output_keys(config, table_prefix, staging_relatives, run_id, extension, partitioned):
    """The names the local engine gives its outputs (etl/run.ts): a partitioned table's files are
    `<prefix>event_date=<d>/part-<run>-<n><ext>`, n counting from 0 in each partition; an unpartitioned
    table is one file `<prefix>part-<run><ext>`."""
    if not partitioned:
        if len(staging_relatives) > 1:
            raise ValueError("expected one staged file for %s, found %d" % (table_prefix, len(staging_relatives)))
        return ["%spart-%s%s" % (table_prefix, run_id, extension) for _ in staging_relatives]
    names, counts = [], {}
    for relative in staging_relatives:
        folder = relative.rsplit("/", 1)[0] + "/" if "/" in relative else ""
        index = counts.get(folder, 0)
        counts[folder] = index + 1
        names.append("%s%spart-%s-%d%s" % (table_prefix, folder, run_id, index, extension))
    return names


def is_data_file(relative_key):
    """A file a Spark writer produced, not its bookkeeping: _SUCCESS, .crc files, and the `<name>_$folder$`
    markers that Hadoop S3 file systems (EMRFS, Glue's) write for folders."""
    name = relative_key.rsplit("/", 1)[-1]
    return not (name == "" or name.startswith("_") or name.startswith(".") or name.endswith(".crc") or name.endswith("_$folder$"))


def parse_open_runs(config, keys):
    """Run ids with keys under the open prefix, oldest first; folder markers (`_etl/open/`, `..._$folder$`)
    name no run."""
    runs = set()
    for key in keys:
        if key.startswith(config["openPrefix"]) and "/" in key[len(config["openPrefix"]):]:
            run_id = key[len(config["openPrefix"]):].split("/", 1)[0]
            if run_id != "" and not run_id.endswith("_$folder$"):
                runs.add(run_id)
    return sorted(runs)


# --- statements -------------------------------------------------------------------------------------


def split_statements(config, sql_text):
    """[(name, kind, sql)] of a rendered transform file, split at its marker lines."""
    marker = config["statementMarker"]
    statements, current = [], None
    for line in sql_text.split("\n"):
        if line.startswith(marker):
            name, kind = line[len(marker):].split()
            current = {"name": name, "kind": kind, "lines": []}
            statements.append(current)
        elif current is not None:
            current["lines"].append(line)
    result = []
    for statement in statements:
        body = "\n".join(line for line in statement["lines"] if not line.startswith("--")).strip()
        result.append((statement["name"], statement["kind"], body))
    return result


# --- window, reference data, counts -----------------------------------------------------------------


def timestamp_window(config, now_seconds):
    return config["earliestAcceptedTimestamp"], int(now_seconds) + config["futureToleranceSeconds"]


LOCATION_COLUMNS = ["location_id", "country_name", "continent", "iso_alpha2", "iso_alpha3", "iso_numeric"]
ORIGINAL_LOCATION_COLUMNS = ["ID", "country-name", "continent"]


def parse_locations_csv(text, source):
    """Rows (location_id, country_name, continent, iso_alpha2, iso_alpha3, iso_numeric) of our format or the original one."""
    text = text[1:] if text.startswith("\ufeff") else text
    lines = [line for line in text.splitlines() if line != ""]
    if not lines:
        raise ValueError("%s: the file is empty; expected the header %s" % (source, ",".join(LOCATION_COLUMNS)))
    delimiter = "," if lines[0] == ",".join(LOCATION_COLUMNS) else ";" if lines[0] == ";".join(ORIGINAL_LOCATION_COLUMNS) else None
    if delimiter is None:
        raise ValueError('%s line 1: header "%s" is not a known locations header; use "%s" or "%s"'
                         % (source, lines[0], ",".join(LOCATION_COLUMNS), ";".join(ORIGINAL_LOCATION_COLUMNS)))
    rows = []
    for number, fields in enumerate(csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=delimiter), start=2):
        if not fields[0].isdigit():
            raise ValueError('%s line %d: id "%s" is not a positive integer' % (source, number, fields[0]))
        codes = [field or None for field in fields[3:6]] if delimiter == "," else [None, None, None]
        rows.append((int(fields[0]), fields[1], fields[2], codes[0], codes[1], codes[2]))
    return rows


def fold_counts(rows, lines_read, files_read, files_unreadable):
    """run_counts rows (outcome, detail, line_count) -> counts dict; raises ReconciliationError unless
    lines read + unreadable files = loaded + rejected + duplicates (an unreadable file is one record)."""
    loaded, rejected, duplicates = 0, {}, {}
    for outcome, detail, count in rows:
        count = int(count)
        if outcome == "loaded":
            loaded += count
        elif outcome == "rejected":
            rejected[detail] = rejected.get(detail, 0) + count
        else:
            duplicates[detail] = duplicates.get(detail, 0) + count
    accounted = loaded + sum(rejected.values()) + sum(duplicates.values())
    if accounted != lines_read + files_unreadable:
        raise ReconciliationError(
            "%d lines read + %d unreadable files but %d loaded + %d rejected + %d duplicates = %d; nothing was committed"
            % (lines_read, files_unreadable, loaded, sum(rejected.values()), sum(duplicates.values()), accounted))
    return {"filesRead": files_read, "filesUnreadable": files_unreadable, "linesRead": lines_read,
            "loaded": loaded, "rejected": rejected, "duplicates": duplicates}


# --- lease ------------------------------------------------------------------------------------------


def lease_key(config, generation):
    return "%s%0*d.json" % (config["leasePrefix"], LEASE_GENERATION_DIGITS, generation)


def lease_generation(config, key):
    name = key[len(config["leasePrefix"]):]
    digits = name[:-len(".json")] if name.endswith(".json") else ""
    return int(digits) if digits.isdigit() else None


def newest_generation(config, keys):
    generations = [g for g in (lease_generation(config, key) for key in keys) if g is not None]
    return max(generations) if generations else 0


def stale_lease_keys(config, keys, newest):
    """The generations a new lease deletes: all but the newest leaseKeepGenerations (etl/protocol/lease.ts)."""
    return [key for key in keys if (lease_generation(config, key) or 0) > 0
            and lease_generation(config, key) <= newest - config["leaseKeepGenerations"]]


def iso(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def parse_iso_ms(text):
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp() * 1000)


def lease_record(generation, holder, host, pid, now_ms, ttl_ms, released):
    return {
        "generation": generation, "holder": holder, "host": host, "pid": pid,
        "acquiredAt": iso(now_ms), "expiresAt": iso(now_ms + ttl_ms), "released": released,
    }


def lease_is_live(record, now_ms):
    return record is not None and not record["released"] and parse_iso_ms(record["expiresAt"]) > now_ms


def locked_message(record):
    if record is None:
        # The winning generation could not be read back (a 409 conflict, or deleted since).
        return ("another ETL run took the lease at the same moment; wait for it to finish, or if it crashed, rerun "
                "after its lease expires (the rerun finishes or rolls back its unfinished work)")
    return ("another ETL run (%s on %s, pid %s) holds the lease since %s, until %s; wait for it to finish, "
            "or if it crashed, rerun after that time (the rerun finishes or rolls back its unfinished work)"
            % (record["holder"], record["host"], record["pid"], record["acquiredAt"], record["expiresAt"]))


# --- run records ------------------------------------------------------------------------------------


def recovery_action(has_commit, has_final):
    """What to do with an open run: 'cleanup' (final record written), 'roll_forward' (committed) or 'roll_back'."""
    if has_final:
        return "cleanup"
    return "roll_forward" if has_commit else "roll_back"


def manifest(run_id, now_ms, output_format, window, inputs):
    return {"runId": run_id, "startedAt": iso(now_ms), "engine": "glue-spark", "format": output_format,
            "window": {"earliest": window[0], "latest": window[1]}, "inputs": inputs}


def commit_record(run_id, now_ms, outputs, counts):
    return {"runId": run_id, "committedAt": iso(now_ms), "outputs": outputs, "counts": counts}


def final_record(run_id, status, now_ms, inputs, recovered_by=None, counts=None, outputs=None):
    record = {"runId": run_id, "status": status, "finishedAt": iso(now_ms), "inputs": inputs}
    if recovered_by is not None:
        record["recoveredBy"] = recovered_by
    if counts is not None:
        record["counts"] = counts
    if outputs is not None:
        record["outputs"] = outputs
    return record


def now_ms():
    return int(time.time() * 1000)
