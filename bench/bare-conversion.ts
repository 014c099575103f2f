/**
 * The yardstick of the ETL's speed (issue 16): DuckDB's own conversion of raw JSON-lines files to
 * Parquet partitioned by event_date, with no validation, quarantine, dedupe, enrichment or commit
 * protocol. Whatever the lines hold is read with DuckDB's detected types; lines it cannot read are
 * skipped, and a timestamp it cannot take as a number has no date.
 */
import { DUCKDB } from '../etl/dialect';

export function bareConversionSql(rawDir: string, outDir: string): string {
  const files = DUCKDB.stringLiteral(`${rawDir.replace(/\/$/, '')}/**/*.jsonl`);
  return (
    `COPY (SELECT *, ${DUCKDB.epochToDate('TRY_CAST("timestamp" AS DOUBLE)')} AS event_date ` +
    `FROM read_json(${files}, format = 'newline_delimited', ignore_errors = true)) ` +
    `TO ${DUCKDB.stringLiteral(outDir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (event_date))`
  );
}
