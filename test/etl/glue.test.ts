import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { venvPython } from '../../twin/python';
import { BUNDLED_LOCATIONS_PATH, readBundledLocations } from '../../model/locations';
import { defaultTimestampWindow } from '../../model/validate';
import { GLUE_CONFIG, GLUE_HELPERS, GLUE_SCRIPT, SPARK_SQL, glueArtifacts, glueConfig, glueJobArguments } from '../../etl/glue-artifacts';
import { planBatches } from '../../etl/inputs';
import { decodeObject, splitLines } from '../../etl/lines';
import { LEASE_PREFIX } from '../../etl/protocol/lease';
import { RUN_ID_PATTERN, newRunId } from '../../etl/protocol/run-id';
import { DEFAULT_MAX_BATCH_BYTES, rejectedOutputKey } from '../../etl/run';
import { renderSparkSql, renderTransform } from '../../etl/transform';
import { readInput } from '../../etl/read-input';
import { FsObjectStore } from '../../store/fs-store';
import { unreadableFiles } from './lake-fixture';

const ETL_DIR = join(__dirname, '..', '..', 'etl');
const PYTHON_TESTS = join(__dirname, 'python');

/** The Glue job's Python: .venv, with Glue 5.0's libraries (boto3/botocore 1.34.131) and moto. */
function python(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; output: string } {
  const result = spawnSync(venvPython(), args, {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: ETL_DIR, ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** What the TypeScript engine does with inputs the Python helpers must treat the same way. */
async function fixture(): Promise<Record<string, unknown>> {
  const texts = ['', 'a\nb\n', 'a\r\nb\r\n\r\n', '\n\n  \t\nx\n', 'no final newline', 'x\n\r\n \r\ny', 'é😀\n{}'];
  const decode = [
    { key: 'raw/a.jsonl', bytes: Buffer.from('\uFEFF{"a":1}\n') },
    { key: 'raw/b.jsonl.gz', bytes: gzipSync('{"b":2}\n{"c":3}') },
    { key: 'raw/c.json', bytes: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
  ];
  const readDir = mkdtempSync(join(tmpdir(), 'glue-read-'));
  const read = [];
  try {
    const store = new FsObjectStore(readDir);
    const objects = [...unreadableFiles().map((file) => ({ key: file.key, bytes: file.stored ?? Buffer.from(file.text) })), { key: 'raw/fine.jsonl.gz', bytes: gzipSync('{"a":1}\n') }];
    for (const { key, bytes } of objects) {
      await store.put(key, bytes);
      const result = await readInput(store, { key, size: bytes.length });
      read.push({ key, base64: bytes.toString('base64'), unreadable: 'unreadable' in result ? result.unreadable : null });
    }
  } finally {
    rmSync(readDir, { recursive: true, force: true });
  }
  const inputs = [5, 1, 9, 3, 3, 20, 1].map((size, index) => ({ key: `raw/${index}.jsonl`, size }));
  const now = 1795608000;
  const window = defaultTimestampWindow(now);
  return {
    config: glueConfig(),
    sparkSql: renderSparkSql(),
    statementNames: renderTransform('spark').map((statement) => statement.name),
    splitLines: texts.map((text) => ({ text, lines: splitLines(text).map(({ lineNumber, line }) => [lineNumber, line]) })),
    read,
    decode: await Promise.all(decode.map(async ({ key, bytes }) => ({ key, base64: bytes.toString('base64'), text: await decodeObject(key, bytes) }))),
    planBatches: [8, 10, 1, 100].map((maxBytes) => ({ inputs, maxBytes, batches: planBatches(inputs, maxBytes) })),
    runIdPattern: RUN_ID_PATTERN.source,
    runId: { ms: 1795608000123, stamp: newRunId(1795608000123).split('-')[0] },
    leaseKey42: `${LEASE_PREFIX}000000000042.json`,
    rejectedRunId: 'RUN-ID',
    rejectedKey: rejectedOutputKey('RUN-ID'),
    window: { now, earliest: window.earliest, latest: window.latest },
    manifestFields: ['runId', 'startedAt', 'engine', 'format', 'window', 'inputs'],
    locationsCsv: readFileSync(BUNDLED_LOCATIONS_PATH, 'utf8'),
    locations: readBundledLocations().map((l) => [l.id, l.countryName, l.continent, l.isoAlpha2, l.isoAlpha3, l.isoNumeric]),
  };
}

describe('the Glue job', () => {
  it('compiles: the script and its helpers are valid Python 3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glue-compile-'));
    try {
      for (const name of [GLUE_SCRIPT, GLUE_HELPERS]) {
        const code = `import py_compile; py_compile.compile(${JSON.stringify(join(ETL_DIR, name))}, cfile=${JSON.stringify(join(dir, `${name}c`))}, doraise=True)`;
        const result = python(['-c', code]);
        expect(result.status, result.output).to.equal(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has helpers that pass their unittest suite against the TypeScript engine\'s behaviour', async function () {
    // The suite includes the job's S3 side against an in-process moto server.
    this.timeout(180_000);
    const dir = mkdtempSync(join(tmpdir(), 'glue-helpers-'));
    try {
      const path = join(dir, 'fixture.json');
      writeFileSync(path, JSON.stringify(await fixture()));
      const result = python(['-m', 'unittest', 'discover', '-s', PYTHON_TESTS, '-p', 'test_*.py', '-v'], { GLUE_HELPERS_FIXTURE: path });
      expect(result.status, result.output).to.equal(0);
      expect(result.output).to.match(/Ran \d+ tests/).and.not.include('skipped');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships the script, its helpers, the Spark SQL and the configuration for the infrastructure to upload', () => {
    const artifacts = glueArtifacts();
    expect(artifacts.map((artifact) => artifact.name)).to.deep.equal([GLUE_SCRIPT, GLUE_HELPERS, SPARK_SQL, GLUE_CONFIG]);
    expect(artifacts.find((artifact) => artifact.name === SPARK_SQL)?.body).to.equal(renderSparkSql());
    expect(JSON.parse(artifacts.find((artifact) => artifact.name === GLUE_CONFIG)!.body)).to.deep.equal(JSON.parse(JSON.stringify(glueConfig())));
  });

  it('gets job arguments that point at the uploaded artifacts and the stage\'s buckets', () => {
    const args = glueJobArguments({
      buckets: { raw: 'cbi-dev-raw', processed: 'cbi-dev-processed', results: 'cbi-dev-results' },
      codeBucket: 'cbi-dev-results',
      codePrefix: 'code/etl/',
      database: 'clickstream_dev',
    });
    expect(args).to.include({
      '--raw_bucket': 'cbi-dev-raw',
      '--processed_bucket': 'cbi-dev-processed',
      '--results_bucket': 'cbi-dev-results',
      '--sql_key': 'code/etl/transform.spark.sql',
      '--config_key': 'code/etl/etl_config.json',
      '--database': 'clickstream_dev',
      '--format': 'parquet',
      '--extra-py-files': 's3://cbi-dev-results/code/etl/glue_helpers.py',
    });
    const script = readFileSync(join(ETL_DIR, GLUE_SCRIPT), 'utf8');
    for (const name of Object.keys(args).filter((key) => !key.startsWith('--extra'))) {
      expect(script, name).to.include(`"${name.slice(2)}"`);
    }
  });

  it('holds the lease as long as the job may run, and batches as the local engine does', () => {
    const stage = { buckets: { raw: 'r', processed: 'p', results: 's' }, codeBucket: 's', codePrefix: 'code/etl/', database: 'd' };
    expect(glueJobArguments({ ...stage, timeoutMinutes: 120 })['--lease_seconds']).to.equal('7200');
    expect(Number(glueJobArguments(stage)['--max_batch_mb']) * 1024 ** 2).to.equal(DEFAULT_MAX_BATCH_BYTES);
    const script = readFileSync(join(ETL_DIR, GLUE_SCRIPT), 'utf8');
    expect(script, 'the script\'s own default batch size').to.include(`"max_batch_mb": "${DEFAULT_MAX_BATCH_BYTES / 1024 ** 2}"`);
  });
});
