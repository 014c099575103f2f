/**
 * When DuckDB cannot read one of the lake's Parquet files (cut short, overwritten, not Parquet at all),
 * its message shows the SQL of our view and a glob, and sometimes no file at all. This finds the file
 * and says what to do, in the words of the lake: its key and its store.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export interface LakeFile {
  /** The object's key, e.g. `results/events/event_date=2026-11-27/part-0.parquet`. */
  readonly key: string;
  /** Where DuckDB reads it. */
  readonly path: string;
}

/** Messages of DuckDB's Parquet reader about a file, not about a query. */
const FILE_PROBLEM = /magic bytes|too small to be a parquet file|TProtocolException|parquet|thrift|corrupt|IO Error/i;

/**
 * Returns an Error naming the unreadable file among `files` and the fix, or undefined when `error`
 * is not about one of them (the caller rethrows it as it is).
 */
export async function unreadableFileError(
  error: unknown,
  connection: DuckDBConnection,
  files: readonly LakeFile[],
  storeDescription: string,
): Promise<Error | undefined> {
  const message = error instanceof Error ? error.message : String(error);
  let culprit = files.find((file) => message.includes(file.path));
  let reason = message;
  if (culprit === undefined) {
    if (!FILE_PROBLEM.test(message)) return undefined;
    for (const file of files) {
      const problem = await readProblem(connection, file.path);
      if (problem !== undefined) {
        culprit = file;
        reason = problem;
        break;
      }
    }
    if (culprit === undefined) return undefined;
  }
  return new Error(
    `${culprit.key} in ${storeDescription} is not a readable Parquet file (${duckdbReason(reason, culprit.path)}); ` +
      'it was cut short or changed after the ETL wrote it. Move that file out of the lake to query the rest ' +
      '(without its events), or rebuild the lake with npm run local',
  );
}

/** Reads a whole file; DuckDB's message when it cannot. */
async function readProblem(connection: DuckDBConnection, path: string): Promise<string | undefined> {
  try {
    // Hashing every row reads every column: a count alone comes from the footer.
    await connection.run(`select bit_xor(hash(t)) from read_parquet('${path.replace(/'/g, "''")}') as t`);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** DuckDB's first line, without its error class, the path (already named) or the SQL it echoes. */
function duckdbReason(message: string, path: string): string {
  const first = message.split('\n')[0].replace(/^[A-Za-z ]*Error: /, '');
  return `DuckDB: ${first.replace(` '${path}'`, '').replace(`'${path}'`, 'the file').trim()}`;
}
