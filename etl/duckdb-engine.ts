/**
 * The local engine: runs the DuckDB rendering of the transform in an in-memory DuckDB. Inputs are
 * files DuckDB reads and splits into lines itself (etl/duckdb-lines.sql), as it goes: a folder lake's
 * files in place (`appendFile`), other objects (S3, gunzipped) written to a scratch folder first
 * (`appendObject`, DuckDB cannot read s3:// here). No input is held in memory whole. Each line gets
 * one typed parse first (etl/duckdb-typed-lines.sql); only the lines that parse does not show valid
 * go through the transform's per-rule checks (the `validated` statement), and `validated` is both
 * together. Outputs are written with COPY into a local folder, from which the caller uploads them.
 *
 * The typed parse runs on one reader connection per thread, each over its own share of the inputs,
 * side by side: DuckDB runs a statement that stores rows read under UNION ALL one branch after
 * another, on one thread (a read_blob is read on one thread), so one statement over every input
 * would leave the other cores idle. The tables the readers read or fill live in the in-memory
 * database's main schema, which every connection sees; each reader's input_lines is its own TEMP view.
 */
import { isUtf8 } from 'node:buffer';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Location } from '../model/locations';
import { EVENTS, partitionFolder } from '../model/tables';
import type { TimestampWindow } from '../model/validate';
import { DUCKDB } from './dialect';
import { renderTemplate } from './template';
import { renderTransform, SETTLE_STEPS, STEPS, type Statement } from './transform';
import { renderTypedLinesSql } from './typed-read-sql';

export type OutputFormat = 'parquet' | 'csv';

export interface TransformParams {
  readonly runId: string;
  readonly window: TimestampWindow;
  readonly rejectedAt: Date;
}

/** How a run's records (lines, and inputs that could not be read) ended, from the run_counts statement. */
export interface OutcomeCounts {
  readonly loaded: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly duplicates: Readonly<Record<string, number>>;
}

/** A file the engine wrote, relative to the output folder with `/` separators. */
export interface WrittenFile {
  readonly relativePath: string;
  readonly absolutePath: string;
}

/**
 * Rows per Parquet row group of `events`: a day of a busy stream (~70,000 events) spans several, so
 * that the per-location order (location_order) lets a continent or country filter skip most of them.
 */
export const EVENTS_ROW_GROUP_ROWS = 16 * 1024;
/**
 * Most rows of one date that one file of it holds (about 8 row groups of events): a larger date is
 * written as several, so that two readers sorting side by side hold a file's rows each, not a date's.
 */
export const EVENTS_FILE_ROWS = 128 * 1024;
/** session_days holds about a third of the events' rows: smaller groups keep a continent's rows apart. */
export const SESSION_DAYS_ROW_GROUP_ROWS = 4 * 1024;
const LINES_SQL = readFileSync(join(__dirname, 'duckdb-lines.sql'), 'utf8');
/** session_days_out's rows for every date, summed once before they are written date by date. */
const SESSION_DAYS_ROWS = 'session_days_rows';
/** The shared `validated` statement's result for the lines the typed parse left to it. */
const CHECKED_LINES = 'checked_lines';

/**
 * One file of a date: the index names it; it holds the date's rows from one sort key (the first file:
 * from the start) to before the next file's (the last file: to the end).
 */
interface DatePiece {
  readonly date: string;
  readonly index: number;
  readonly fromSortKey?: number;
  readonly beforeSortKey?: number;
}

export interface EngineOptions {
  /** DuckDB worker threads; default: every core. */
  readonly threads?: number;
  /** Where DuckDB may spill when the data outgrow memory. */
  readonly spillDirectory?: string;
  /** An empty folder for the inputs DuckDB reads (copies, links); default a new one under the system's temp folder. */
  readonly inputDirectory?: string;
  /**
   * Whether lines get the typed parse first (default true). Off, every line goes through the
   * per-rule checks alone: tests compare the two.
   */
  readonly typedRead?: boolean;
  /** Most rows of a date one output file holds; default EVENTS_FILE_ROWS. */
  readonly fileRows?: number;
}

function timestampText(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * An input as DuckDB reads it: a file (the lake's own, read in place, or a copy
 * `<inputDirectory>/<position>`), or for a small object a row of small_inputs (a file per tiny object
 * costs more).
 */
interface InputFile {
  readonly sourceKey: string;
  /** Undefined for a small object, appended as a row. */
  readonly path?: string;
  /** The lake's own file, read in place: copied if it is not valid UTF-8 (repairUtf8). */
  readonly inPlace: boolean;
}

/** Characters DuckDB reads as a glob in a file name: a lake file named with one is read through a link. */
const GLOB_CHARACTERS = /[*?[\]{}]/;

/** Objects up to this size are appended as rows, larger ones written (or linked) as files. */
export const SMALL_OBJECT_BYTES = 64 * 1024;

export class DuckDbTransform {
  private readonly statements: ReadonlyMap<string, Statement>;
  /** The inputs appended; undefined before prepare() and once the lines are read. */
  private inputs: InputFile[] | undefined;
  /** One connection per thread; reader i reads every i-th input file (closeInput). */
  private readers: DuckDBConnection[] = [];
  /** The inputs once appending ended (closeInput), as the line views read them. */
  private closedInputs: readonly InputFile[] = [];
  /** The appender of small_inputs; undefined outside prepare() to closeInput(). */
  private smallInputs: DuckDBAppender | undefined;
  private lines = 0;
  private linesLoaded = false;
  private objects = 0;
  private unreadable = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly typedRead: boolean,
    private readonly fileRows: number,
    private readonly inputDirectory: string,
    private readonly ownsInputDirectory: boolean,
  ) {
    this.statements = new Map(renderTransform('duckdb').map((statement) => [statement.name, statement]));
  }

  static async open(options: EngineOptions = {}): Promise<DuckDbTransform> {
    const config: Record<string, string> = { preserve_insertion_order: 'false' };
    if (options.threads !== undefined) config.threads = String(options.threads);
    if (options.spillDirectory !== undefined) config.temp_directory = options.spillDirectory;
    const instance = await DuckDBInstance.create(':memory:', config);
    const inputDirectory = options.inputDirectory ?? mkdtempSync(join(tmpdir(), 'clickstream-etl-inputs-'));
    mkdirSync(inputDirectory, { recursive: true });
    return new DuckDbTransform(instance, await instance.connect(), options.typedRead ?? true, options.fileRows ?? EVENTS_FILE_ROWS, inputDirectory, options.inputDirectory === undefined);
  }

  /** Creates the input tables; inputs are then appended with `appendFile()` or `appendObject()`. */
  async prepare(locations: readonly Location[], params: TransformParams): Promise<void> {
    const c = this.connection;
    await c.run(
      'CREATE OR REPLACE TABLE locations (location_id INTEGER, country_name VARCHAR, continent VARCHAR, iso_alpha2 VARCHAR, iso_alpha3 VARCHAR, iso_numeric VARCHAR)',
    );
    const locationAppender = await c.createAppender('locations');
    for (const location of locations) {
      locationAppender.appendInteger(location.id);
      locationAppender.appendVarchar(location.countryName);
      locationAppender.appendVarchar(location.continent);
      for (const code of [location.isoAlpha2, location.isoAlpha3, location.isoNumeric]) {
        if (code === null) locationAppender.appendNull();
        else locationAppender.appendVarchar(code);
      }
      locationAppender.endRow();
    }
    locationAppender.closeSync();
    // Each location's place in (continent, country) order, as a small integer: each date's events are
    // written in this order, so a continent's or a country's rows sit together in few row groups whose
    // min/max statistics let a reader (DuckDB, Athena) skip the others. An integer sorts far cheaper
    // than the two strings.
    await c.run('CREATE OR REPLACE TABLE location_order (location_id INTEGER, sort_key INTEGER)');
    const orderAppender = await c.createAppender('location_order');
    locationsInFilterOrder(locations).forEach((location, index) => {
      orderAppender.appendInteger(location.id);
      orderAppender.appendInteger(index);
      orderAppender.endRow();
    });
    orderAppender.closeSync();
    await c.run(
      `CREATE OR REPLACE TABLE etl_params AS SELECT ${DUCKDB.stringLiteral(params.runId)} AS run_id, ` +
        `CAST(${Math.floor(params.window.earliest)} AS BIGINT) AS earliest_epoch, CAST(${Math.floor(params.window.latest)} AS BIGINT) AS latest_epoch, ` +
        `CAST(${DUCKDB.stringLiteral(timestampText(params.rejectedAt))} AS TIMESTAMP) AS rejected_at`,
    );
    await c.run('CREATE OR REPLACE TABLE unreadable_inputs (source_key VARCHAR, reason_detail VARCHAR)');
    await c.run('CREATE OR REPLACE TABLE existing_events (event_id VARCHAR)');
    await c.run('CREATE OR REPLACE TABLE existing_rejections (source_key VARCHAR, line_number BIGINT)');
    const threads = Number((await c.runAndReadAll("SELECT current_setting('threads') AS threads")).getRowObjectsJS()[0].threads);
    this.readers = await Promise.all(Array.from({ length: Math.max(1, threads) }, () => this.instance.connect()));
    await c.run('CREATE OR REPLACE TABLE small_inputs (source_key VARCHAR, content BLOB)');
    this.smallInputs = await c.createAppender('small_inputs');
    this.inputs = [];
  }

  /** Records the next input, made from its position (which names a copy of it in the input folder). */
  private record(input: (position: number) => InputFile): void {
    const inputs = this.inputs;
    if (!inputs || !this.smallInputs) throw new Error('DuckDbTransform: call prepare() before appending inputs, and not after validate()');
    inputs.push(input(inputs.length));
    this.objects++;
  }

  /**
   * Appends one input object's bytes (already gunzipped): a row if small, else a file in the input
   * folder. Invalid UTF-8 is replaced by U+FFFD, as a UTF-8 decoder does, before DuckDB sees it.
   */
  appendObject(sourceKey: string, body: Buffer): void {
    const bytes = isUtf8(body) ? body : Buffer.from(body.toString('utf8'));
    if (bytes.length <= SMALL_OBJECT_BYTES) {
      this.record(() => ({ sourceKey, inPlace: false }));
      const small = this.smallInputs!;
      small.appendVarchar(sourceKey);
      small.appendBlob(bytes);
      small.endRow();
    } else {
      this.record((position) => {
        const path = join(this.inputDirectory, String(position));
        writeFileSync(path, bytes);
        return { sourceKey, path, inPlace: false };
      });
    }
  }

  /**
   * Appends a plain (not gzipped) input file of a folder lake, which DuckDB reads in place (through a
   * link named by its position if its name holds glob characters).
   */
  appendFile(sourceKey: string, file: string): void {
    this.record((position) => {
      if (!GLOB_CHARACTERS.test(file)) return { sourceKey, path: file, inPlace: true };
      const path = join(this.inputDirectory, String(position));
      symlinkSync(file, path);
      return { sourceKey, path, inPlace: true };
    });
  }

  /** Records an input that could not be read at all; the run rejects it whole (etl/sql/50_rejections.sql). */
  async appendUnreadable(sourceKey: string, detail: string): Promise<void> {
    if (!this.inputs) throw new Error('DuckDbTransform: call prepare() before appending inputs, and not after validate()');
    this.unreadable++;
    await this.connection.run(`INSERT INTO unreadable_inputs VALUES (${DUCKDB.stringLiteral(sourceKey)}, ${DUCKDB.stringLiteral(detail)})`);
  }

  /** Inputs appended so far: read (their lines appended) and unreadable. */
  get files(): { readonly read: number; readonly unreadable: number } {
    return { read: this.objects, unreadable: this.unreadable };
  }

  /** Non-blank lines read, once validate() has read them. */
  get linesRead(): number {
    if (!this.linesLoaded) throw new Error('DuckDbTransform: linesRead is known after validate()');
    return this.lines;
  }

  /**
   * Ends appending; the inputs read as lines through the view input_lines (etl/duckdb-lines.sql):
   * each reader's over its share of the files (every reader-th), this connection's over all of them.
   * Files read in place are taken to be valid UTF-8, as nearly all are: DuckDB refuses to decode one
   * that is not, and only then does repairUtf8 look at them all (a look costs a pass over the files).
   */
  private async closeInput(): Promise<void> {
    const inputs = this.inputs;
    if (inputs === undefined || this.smallInputs === undefined) return;
    this.inputs = undefined;
    this.smallInputs.closeSync();
    this.smallInputs = undefined;
    const gone = inputs.find((input) => input.inPlace && !existsSync(input.path!));
    if (gone) {
      throw new Error(`input ${gone.sourceKey} is gone (not in ${gone.path}); nothing was committed: run the ETL again to read the inputs as they are now`);
    }
    this.closedInputs = inputs;
    await this.createLineViews();
  }

  /** Every reader's files (input_lines over its share), and this connection's over all of them. */
  private async createLineViews(): Promise<void> {
    const inputs = this.closedInputs;
    const filesOf = (index: number): string[] => {
      const share = this.shareOf(inputs, index, () => true);
      if (share.length === 0) return [];
      // Each file's key by its place in the list: a join to a table of keys held every file's
      // content at once (DuckDB built its hash table on them) and put the lines out of order.
      const keys = `[${share.map((input) => DUCKDB.stringLiteral(input.sourceKey)).join(', ')}]`;
      const files = fileList(share);
      return [`SELECT ${keys}[list_position(${files}, files.filename)] AS source_key, files.content FROM read_blob(${files}) AS files`];
    };
    const readerFiles = this.readers.map((_, index) => filesOf(index));
    const smallInputs = 'SELECT source_key, content FROM small_inputs';
    const noInputs = 'SELECT CAST(NULL AS VARCHAR) AS source_key, CAST(NULL AS BLOB) AS content WHERE false';
    const linesOf = (inputFiles: readonly string[]): string =>
      renderTemplate(LINES_SQL, { blocks: { input_files: (inputFiles.length > 0 ? inputFiles : [noInputs]).join('\n    UNION ALL\n    ') }, macros: {} }, 'etl/duckdb-lines.sql');
    // Reader 0 also reads the small objects; this connection reads everything (readLines, untyped validate).
    await Promise.all(this.readers.map((reader, index) => reader.run(linesOf([...readerFiles[index], ...(index === 0 ? [smallInputs] : [])]))));
    await this.connection.run(linesOf([...readerFiles.flat(), smallInputs]));
  }

  /** The files reader `index` reads: every reader-th input that is a file, of those `which` takes. */
  private shareOf(inputs: readonly InputFile[], index: number, which: (input: InputFile) => boolean): InputFile[] {
    return inputs.filter((input, position) => input.path !== undefined && which(input) && position % this.readers.length === index);
  }

  /**
   * Gives each file read in place that is not valid UTF-8 a copy with U+FFFD in its place (as
   * appendObject does), read instead of it from now on; returns whether there was one.
   */
  private async repairUtf8(): Promise<boolean> {
    const inputs = this.closedInputs;
    const checks = await Promise.all(
      this.readers.map((reader, index) => {
        const inPlace = this.shareOf(inputs, index, (input) => input.inPlace);
        return inPlace.length === 0 ? undefined : reader.runAndReadAll(`SELECT filename FROM read_blob(${fileList(inPlace)}) WHERE try(decode(content)) IS NULL`);
      }),
    );
    const invalid = new Set(checks.flatMap((check) => check?.getRowObjectsJS() ?? []).map((row) => String(row.filename)));
    if (invalid.size === 0) return false;
    this.closedInputs = inputs.map((input, position) => {
      if (!input.inPlace || !invalid.has(input.path!)) return input;
      const copy = join(this.inputDirectory, String(position));
      rmSync(copy, { force: true });
      writeFileSync(copy, Buffer.from(readFileSync(input.path!).toString('utf8')));
      return { ...input, path: copy };
    });
    await this.createLineViews();
    return true;
  }

  /** The lines as read, in key and line order (for tests and diagnostics; before validate()). */
  async readLines(): Promise<{ sourceKey: string; lineNumber: number; line: string }[]> {
    if (this.linesLoaded) throw new Error('DuckDbTransform: readLines() reads the input, which validate() has released; call it before validate()');
    await this.closeInput();
    await this.repairUtf8();
    const reader = await this.connection.runAndReadAll('SELECT source_key, line_number, line FROM input_lines ORDER BY source_key, line_number');
    return reader.getRowObjectsJS().map((row) => ({ sourceKey: String(row.source_key), lineNumber: Number(row.line_number), line: String(row.line) }));
  }

  private async run(name: string): Promise<void> {
    await this.connection.run(this.statement(name).sql);
  }

  private statement(name: string): Statement {
    const statement = this.statements.get(name);
    if (!statement) throw new Error(`the DuckDB rendering of the transform has no statement "${name}"`);
    return statement;
  }

  private async query(name: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(this.statement(name).sql);
    return reader.getRowObjectsJS();
  }

  /**
   * Validates every appended line; returns the event dates (YYYY-MM-DD) of the valid ones. The typed
   * parse reads the blocks once (typed_lines); the shared `validated` statement then runs on raw_lines,
   * the lines that parse left undecided, into checked_lines; `validated` is a view of both.
   */
  async validate(): Promise<string[]> {
    if (this.linesLoaded) throw new Error('DuckDbTransform: validate() runs once per run');
    await this.closeInput();
    const c = this.connection;
    if (this.typedRead) {
      const parts = this.readers.map((_, index) => `typed_lines_${index}`);
      const firstLook = (): Promise<void> =>
        this.onReaderThreads(async () => {
          const looks = await Promise.allSettled(this.readers.map((reader, index) => reader.run(renderTypedLinesSql(parts[index]))));
          const failed = looks.find((look) => look.status === 'rejected');
          if (failed) throw failed.reason;
        });
      try {
        await firstLook();
      } catch (error) {
        if (!isUtf8DecodeError(error) || !(await this.repairUtf8())) throw error;
        await firstLook();
      }
      await c.run(`CREATE OR REPLACE VIEW typed_lines AS ${parts.map((part) => `SELECT * FROM ${part}`).join(' UNION ALL ')}`);
      await c.run('CREATE OR REPLACE VIEW raw_lines AS SELECT source_key, line_number, line FROM typed_lines WHERE NOT typed_ok');
    } else {
      await this.repairUtf8();
      await c.run('CREATE OR REPLACE TEMP VIEW raw_lines AS SELECT source_key, line_number, line FROM input_lines');
    }
    await c.run(`CREATE OR REPLACE TABLE ${CHECKED_LINES} AS\n${this.statement(STEPS.validated).body}`);
    const table = this.typedRead ? 'typed_lines' : CHECKED_LINES;
    this.lines = Number((await c.runAndReadAll(`SELECT count(*) AS lines FROM ${table}`)).getRowObjectsJS()[0].lines);
    // What later steps need of the lines is kept (the rejected ones, as read): free the blocks.
    await c.run('DROP VIEW raw_lines');
    await c.run('DROP VIEW input_lines');
    await Promise.all(this.readers.map((reader) => reader.run('DROP VIEW input_lines')));
    await c.run(
      this.typedRead
        ? `CREATE OR REPLACE VIEW ${STEPS.validated} AS ` +
            `SELECT * EXCLUDE (typed_ok, line), CAST(NULL AS VARCHAR) AS reason_code, CAST(NULL AS VARCHAR) AS reason_field, ` +
            `CAST(NULL AS VARCHAR) AS reason_detail, CAST(NULL AS VARCHAR) AS rejected_line FROM typed_lines WHERE typed_ok ` +
            `UNION ALL BY NAME SELECT * FROM ${CHECKED_LINES}`
        : `CREATE OR REPLACE VIEW ${STEPS.validated} AS SELECT * FROM ${CHECKED_LINES}`,
    );
    this.linesLoaded = true;
    return (await this.query(STEPS.eventDates)).map((row) => String(row.event_date));
  }

  /** Loads the ids of events already stored (Parquet or CSV files of `events`) for deduplication. */
  async loadExistingEventIds(files: readonly string[]): Promise<void> {
    const parquet = files.filter((file) => file.endsWith('.parquet'));
    const csv = files.filter((file) => file.endsWith('.csv'));
    const list = (paths: readonly string[]): string => `[${paths.map(DUCKDB.stringLiteral).join(', ')}]`;
    if (parquet.length > 0) {
      await this.connection.run(`INSERT INTO existing_events SELECT event_id FROM read_parquet(${list(parquet)})`);
    }
    if (csv.length > 0) {
      await this.connection.run(
        `INSERT INTO existing_events SELECT event_id FROM read_csv(${list(csv)}, header = true, all_varchar = true, union_by_name = true)`,
      );
    }
  }

  /**
   * Loads the (source key, line) of rejections already stored (Parquet files of `rejected_events`),
   * only for the keys this run rejects something of, so that a replayed file is not quarantined twice.
   */
  async loadExistingRejections(files: readonly string[]): Promise<void> {
    if (files.length === 0) return;
    await this.connection.run(
      `INSERT INTO existing_rejections SELECT source_key, line_number FROM read_parquet([${files.map(DUCKDB.stringLiteral).join(', ')}]) ` +
        'WHERE source_key IN (SELECT source_key FROM validated WHERE reason_code IS NOT NULL UNION SELECT source_key FROM unreadable_inputs)',
    );
  }

  /** Deduplicates and prepares the outputs; returns how every record ended. */
  async settle(): Promise<OutcomeCounts> {
    for (const name of SETTLE_STEPS) await this.run(name);
    let loaded = 0;
    const rejected: Record<string, number> = {};
    const duplicates: Record<string, number> = {};
    for (const row of await this.query(STEPS.runCounts)) {
      const count = Number(row.line_count);
      const detail = String(row.detail);
      if (row.outcome === 'loaded') loaded += count;
      else if (row.outcome === 'rejected') rejected[detail] = (rejected[detail] ?? 0) + count;
      else duplicates[detail] = (duplicates[detail] ?? 0) + count;
    }
    return { loaded, rejected, duplicates };
  }

  /**
   * Writes events_out under `directory`, one folder per event_date (Hive style, the date not repeated
   * in the file), file names carrying the run id. Each file is one COPY sorted in location order (a
   * partitioned COPY interleaves its threads' rows); a date with more than EVENTS_FILE_ROWS rows is
   * written as several files, each a range of that order (datePieces).
   */
  async writeEvents(directory: string, format: OutputFormat, runId: string): Promise<WrittenFile[]> {
    this.requireSettled();
    const options = format === 'parquet' ? `FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${EVENTS_ROW_GROUP_ROWS}` : 'FORMAT csv, HEADER true';
    const pieces = await this.datePieces(
      `SELECT CAST(event_date AS VARCHAR) AS event_date, known_location_id AS location_id, count(*) AS row_count FROM ${STEPS.validated} WHERE reason_code IS NULL GROUP BY ALL`,
    );
    return this.writeByDate(STEPS.eventsOut, pieces, directory, format, options, runId);
  }

  /**
   * Writes session_days_out under `directory` as writeEvents writes events_out, always in Parquet. Its
   * rows are summed once for every date (one pass over the events) before the dates are written.
   */
  async writeSessionDays(directory: string, runId: string): Promise<WrittenFile[]> {
    this.requireSettled();
    await this.connection.run(`CREATE OR REPLACE TABLE ${SESSION_DAYS_ROWS} AS SELECT * FROM ${STEPS.sessionDaysOut}`);
    const pieces = await this.datePieces(`SELECT CAST(event_date AS VARCHAR) AS event_date, location_id, count(*) AS row_count FROM ${SESSION_DAYS_ROWS} GROUP BY ALL`);
    return this.writeByDate(SESSION_DAYS_ROWS, pieces, directory, 'parquet', `FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${SESSION_DAYS_ROW_GROUP_ROWS}`, runId);
  }

  /**
   * The files each date is written as: consecutive ranges of the location order of at most
   * `fileRows` rows each (a single location may hold more), so that the sorts the readers run
   * side by side stay small. `counts` gives rows per (event_date, location_id); the ranges cover
   * every sort key, so a row the counts missed is still written.
   */
  private async datePieces(counts: string): Promise<DatePiece[]> {
    const reader = await this.connection.runAndReadAll(
      `SELECT counts.event_date, location_order.sort_key, sum(counts.row_count) AS row_count FROM (${counts}) AS counts ` +
        'LEFT JOIN location_order ON location_order.location_id = counts.location_id GROUP BY ALL ORDER BY 1, 2',
    );
    const starts: DatePiece[] = [];
    let rows = 0;
    for (const row of reader.getRowObjectsJS()) {
      const date = String(row.event_date);
      const sortKey = Number(row.sort_key);
      const count = Number(row.row_count);
      const last = starts.at(-1);
      if (last?.date !== date) {
        starts.push({ date, index: 0 });
        rows = count;
      } else if (rows + count > this.fileRows) {
        starts.push({ date, index: last.index + 1, fromSortKey: sortKey });
        rows = count;
      } else {
        rows += count;
      }
    }
    return starts.map((piece, position) => {
      const next = starts[position + 1];
      return next?.date === piece.date ? { ...piece, beforeSortKey: next.fromSortKey } : piece;
    });
  }

  private requireSettled(): void {
    if (!this.linesLoaded) throw new Error('DuckDbTransform: call validate() and settle() before writing outputs');
  }

  private async writeByDate(view: string, pieces: readonly DatePiece[], directory: string, format: OutputFormat, options: string, runId: string): Promise<WrittenFile[]> {
    const queue = [...pieces];
    const rowsByDate = new Map<string, number>();
    const writePieces = async (connection: DuckDBConnection): Promise<void> => {
      for (let piece = queue.shift(); piece !== undefined; piece = queue.shift()) {
        const folder = join(directory, partitionFolder(EVENTS, piece.date));
        const file = join(folder, `part-${runId}-${piece.index}.${format}`);
        const range = [
          piece.fromSortKey === undefined ? [] : [`location_order.sort_key >= ${piece.fromSortKey}`],
          piece.beforeSortKey === undefined ? [] : [`location_order.sort_key < ${piece.beforeSortKey}`],
        ].flat();
        await mkdir(folder, { recursive: true });
        const reader = await connection.runAndReadAll(
          `COPY (SELECT ${view}.* EXCLUDE (event_date) FROM ${view} ` +
            `LEFT JOIN location_order ON location_order.location_id = ${view}.location_id ` +
            `WHERE ${[`event_date = CAST(${DUCKDB.stringLiteral(piece.date)} AS DATE)`, ...range].join(' AND ')} ORDER BY location_order.sort_key) ` +
            `TO ${DUCKDB.stringLiteral(file)} (${options})`,
        );
        const rows = Number(reader.getRowObjectsJS()[0].Count);
        rowsByDate.set(piece.date, (rowsByDate.get(piece.date) ?? 0) + rows);
        if (rows === 0) await rm(file, { force: true });
      }
    };
    const writeAll = (): Promise<void[]> => Promise.all(this.readers.map(writePieces));
    // With fewer files than readers, each COPY needs DuckDB's worker threads to use every core.
    await (pieces.length > this.readers.length ? this.onReaderThreads(writeAll) : writeAll());
    // Every valid event of that date was a duplicate: no folder, as for a date the run never saw.
    for (const [date, rows] of rowsByDate) if (rows === 0) await rm(join(directory, partitionFolder(EVENTS, date)), { recursive: true });
    return listFiles(directory);
  }

  /**
   * Runs statements that keep every reader connection busy (one per core) with DuckDB's worker
   * threads off: each statement then runs on the thread that started it, and the workers would only
   * contend with the readers for the cores.
   */
  private async onReaderThreads<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.run('SET threads = 1');
    try {
      return await work();
    } finally {
      await this.connection.run(`SET threads = ${this.readers.length}`);
    }
  }

  /** Writes rejected_out to one Parquet file. */
  async writeRejected(file: string): Promise<void> {
    await this.connection.run(`COPY (SELECT * FROM ${STEPS.rejectedOut}) TO ${DUCKDB.stringLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
  }

  /** Every column of `validated`, in key and line order (for tests and diagnostics). */
  async validatedRows(): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(`SELECT * FROM ${STEPS.validated} ORDER BY source_key, line_number`);
    return reader.getRowObjectsJS();
  }

  /** Each line's verdict (for tests and diagnostics). */
  async verdicts(): Promise<{ sourceKey: string; lineNumber: number; code: string | null; field: string | null; detail: string | null }[]> {
    const reader = await this.connection.runAndReadAll(
      'SELECT source_key, line_number, reason_code, reason_field, reason_detail FROM validated ORDER BY source_key, line_number',
    );
    return reader.getRowObjectsJS().map((row) => ({
      sourceKey: String(row.source_key),
      lineNumber: Number(row.line_number),
      code: row.reason_code === null ? null : String(row.reason_code),
      field: row.reason_field === null ? null : String(row.reason_field),
      detail: row.reason_detail === null ? null : String(row.reason_detail),
    }));
  }

  close(): void {
    this.smallInputs?.closeSync();
    this.smallInputs = undefined;
    this.inputs = undefined;
    for (const reader of this.readers) reader.closeSync();
    this.readers = [];
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.ownsInputDirectory) rmSync(this.inputDirectory, { recursive: true, force: true });
  }
}

/** A list of files as DuckDB reads it. */
function fileList(files: readonly InputFile[]): string {
  return `[${files.map((input) => DUCKDB.stringLiteral(input.path!)).join(', ')}]`;
}

/** DuckDB's refusal to decode bytes that are not UTF-8 (a file read in place: see repairUtf8). */
function isUtf8DecodeError(error: unknown): boolean {
  return error instanceof Error && error.message.includes('could not convert blob to UTF8');
}

/** Locations by continent, then country name, then id: the order each date's events are written in. */
export function locationsInFilterOrder(locations: readonly Location[]): Location[] {
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...locations].sort((a, b) => text(a.continent, b.continent) || text(a.countryName, b.countryName) || a.id - b.id);
}

async function listFiles(root: string): Promise<WrittenFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const absolutePath = join(entry.parentPath, entry.name);
      return { absolutePath, relativePath: relative(root, absolutePath).split(sep).join('/') };
    })
    .sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}
