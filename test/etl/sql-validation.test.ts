import { expect } from 'chai';
import { FAULT_KINDS } from '../../generator/faults';
import { simulate } from '../../generator/simulate';
import { locationIndex, readBundledLocations } from '../../model/locations';
import { EARLIEST_ACCEPTED_TIMESTAMP, defaultTimestampWindow, validateLine, type ValidationContext } from '../../model/validate';
import { DuckDbTransform } from '../../etl/duckdb-engine';
import { looksLikeJsonLiteral } from '../../etl/typed-read-sql';
import { EVENT_FIELDS } from '../../model/events';
import { CURRENT_EVENT, LEGACY_EVENT, SAMPLE_NOW, without } from '../fixtures/sample-events';

const NOW = SAMPLE_NOW;
const locations = readBundledLocations();
const index = locationIndex(locations);
const context: ValidationContext = { isKnownLocation: (id) => index.has(id), window: defaultTimestampWindow(NOW) };

const legacy = LEGACY_EVENT;
const current = { ...CURRENT_EVENT, event_id: 'e-0001' };
const json = (value: unknown): string => JSON.stringify(value);
/** Replaces the JSON text of one field in a line, for values JSON.stringify cannot write. */
const withRaw = (event: object, field: string, rawValue: string): string =>
  json({ ...event, [field]: '@@' }).replace('"@@"', rawValue);

/** Lines on which both validators must agree: every rule, its edges and the JSON corner cases. */
const CASES: readonly string[] = [
  json(legacy),
  json(current),
  json({ ...legacy, event_type: 'search', user_action: 'search_page', product_category: null }),
  json({ ...current, experiment: 'b', nested: { a: [1, 2, { b: null }] } }),
  `  ${json(legacy)}\t `,
  json({ ...legacy, user_id: 'é "quoted" \\ back\\slash \u2028 line' }),
  withRaw(legacy, 'user_id', '"\\u0071\\u0077\\n"'),
  json({ ...legacy, user_id: 'x'.repeat(128) }),
  json({ ...legacy, user_id: 'x'.repeat(129) }),
  json({ ...legacy, user_id: '\u{1F600}'.repeat(64) }),
  json({ ...legacy, user_id: '\u{1F600}'.repeat(65) }),
  json({ ...legacy, user_id: 'é'.repeat(128) }),
  json({ ...legacy, user_id: '' }),
  json({ ...legacy, user_id: 17 }),
  json({ ...legacy, user_id: true }),
  json({ ...legacy, user_id: ['a'] }),
  json({ ...legacy, user_id: { id: 'a' } }),
  json({ ...legacy, user_id: null }),
  // What a non-string value reads as in a VARCHAR field of the typed parse: never valid there.
  withRaw(legacy, 'user_id', '-0'),
  withRaw(legacy, 'user_id', '1.5e21'),
  withRaw(legacy, 'user_id', '1e400'),
  withRaw(legacy, 'user_id', '12345678901234567890123'),
  withRaw(legacy, 'user_id', 'NaN'),
  withRaw(legacy, 'user_id', '-Infinity'),
  withRaw(current, 'event_id', 'false'),
  withRaw(current, 'page_url', '{"href":"https://x.example/"}'),
  // Strings that read like such values are strings all the same.
  json({ ...legacy, user_id: '12345' }),
  json({ ...legacy, user_id: 'NaN' }),
  json({ ...legacy, user_id: 'true' }),
  json({ ...current, event_id: '[1]' }),
  json({ ...current, session_id: '-1.5e3' }),
  withRaw(legacy, 'event_type', '"cl\\u0069ck"'),
  withRaw(legacy, 'location', '"\\u0031\\u0037"'),
  json({ ...current, price: 12.5, quantity: 2 }),
  withRaw(current, 'price', '1.25e1'),
  withRaw(legacy, 'timestamp', `${NOW - 3600}.0`),
  json(without(legacy, 'user_id')),
  json({ ...legacy, user_age: '34' }),
  json({ ...legacy, user_age: true }),
  json({ ...legacy, user_age: [34] }),
  json({ ...legacy, user_age: 34.5 }),
  withRaw(legacy, 'user_age', '34.0'),
  withRaw(legacy, 'user_age', '3.4e1'),
  withRaw(legacy, 'user_age', '1E2'),
  withRaw(legacy, 'user_age', '-0'),
  withRaw(legacy, 'user_age', '1e400'),
  withRaw(legacy, 'user_age', 'NaN'),
  withRaw(legacy, 'user_age', 'Infinity'),
  withRaw(legacy, 'user_age', '-Infinity'),
  json({ ...legacy, user_age: 12 }),
  json({ ...legacy, user_age: 13 }),
  json({ ...legacy, user_age: 120 }),
  json({ ...legacy, user_age: 121 }),
  json({ ...current, price: 0 }),
  withRaw(current, 'price', '-0'),
  json({ ...current, price: -0.01 }),
  json({ ...current, price: 1_000_000 }),
  json({ ...current, price: 1_000_000.01 }),
  json({ ...current, price: '12.50' }),
  json({ ...current, quantity: 0 }),
  json({ ...current, quantity: 1000 }),
  json({ ...current, quantity: 1001 }),
  json({ ...current, quantity: 1.5 }),
  json({ ...current, price: null, quantity: null }),
  json({ ...legacy, location: 17 }),
  json({ ...legacy, location: '017' }),
  json({ ...legacy, location: '' }),
  json({ ...legacy, location: '1a' }),
  json({ ...legacy, location: ' 17' }),
  json({ ...legacy, location: '-1' }),
  json({ ...legacy, location: '123456789' }),
  json({ ...legacy, location: '99999' }),
  json({ ...legacy, location: '0' }),
  json({ ...legacy, location: '250' }),
  json({ ...legacy, timestamp: EARLIEST_ACCEPTED_TIMESTAMP }),
  json({ ...legacy, timestamp: EARLIEST_ACCEPTED_TIMESTAMP - 1 }),
  json({ ...legacy, timestamp: NOW + 86400 }),
  json({ ...legacy, timestamp: NOW + 86401 }),
  json({ ...legacy, timestamp: 9_999_999_999 }),
  json({ ...legacy, timestamp: 10_000_000_000 }),
  json({ ...legacy, timestamp: -1 }),
  json({ ...legacy, timestamp: '1730000000' }),
  json({ ...legacy, timestamp: 1730000000.5 }),
  json({ ...legacy, event_type: 'hover' }),
  json({ ...legacy, event_type: 'CLICK' }),
  json({ ...legacy, user_action: 'about_page' }),
  json({ ...legacy, product_category: 'food' }),
  json({ ...current, device_type: 'watch' }),
  json({ ...current, browser: 'lynx' }),
  json({ ...current, os: 'beos' }),
  json({ ...current, referrer: `https://x.example/${'a'.repeat(2048)}` }),
  json({ ...current, page_url: `https://x.example/${'a'.repeat(2020)}` }),
  json({ ...current, utm_campaign: 'c'.repeat(129) }),
  json({ ...current, schema_version: 2.0 }),
  json({ ...current, schema_version: 3 }),
  json({ ...current, schema_version: 1.5 }),
  json({ ...current, schema_version: '2' }),
  json({ ...current, schema_version: true }),
  json({ ...current, schema_version: -1 }),
  json({ ...legacy, schema_version: null }),
  json({ ...legacy, schema_version: 1, event_id: 'given-id' }),
  json({ ...legacy, schema_version: 2 }),
  json(without(current, 'event_id')),
  json(without(current, 'session_id')),
  json({ ...current, page_url: null }),
  json(without(current, 'os')),
  json({ ...legacy, event_type: 'hover', user_age: 'old', location: '999' }),
  json({ ...current, event_id: 5, event_type: 'hover' }),
  json({ ...legacy, location: '999', timestamp: 1 }),
  json({ ...legacy, location: '999', timestamp: NOW + 10 * 86400 }),
  '{}',
  '[1,2]',
  '[]',
  '"click"',
  'null',
  '17',
  'true',
  '{"event_type": "click", "user_id"',
  '{"event_type": "click",,}',
  "{'event_type': 'click'}",
  '{event_type: "click"}',
  `${json(legacy)} x`,
  `${json(legacy)}${json(legacy)}`,
  json(legacy).replace('qwhdkzmxla', 'qwhd\u0001kzmxla'),
  json(legacy).replace('qwhdkzmxla', 'qwhd\tkzmxla'),
  withRaw(legacy, 'user_id', '"bad \\x escape"'),
  withRaw(legacy, 'user_age', '034'),
  withRaw(legacy, 'user_age', '+34'),
  withRaw(legacy, 'user_age', '.5'),
  // A byte order mark inside a line (at the start of an object it is dropped as the encoding's mark).
  json(legacy) + '\uFEFF',
  '\uFEFF' + json(legacy),
];

interface Verdict {
  readonly code: string | null;
  readonly field: string | null;
}

function typescriptVerdict(line: string): Verdict {
  const result = validateLine(line, context);
  return result.ok ? { code: null, field: null } : { code: result.rejection.code, field: result.rejection.field ?? null };
}

/** The SQL's verdict on each line, read as one JSON-lines object (blank lines are not records). */
async function sqlVerdicts(lines: readonly string[]): Promise<Verdict[]> {
  const engine = await DuckDbTransform.open({ threads: 2 });
  try {
    await engine.prepare(locations, { runId: 'test', window: context.window, rejectedAt: new Date(NOW * 1000) });
    engine.appendObject('raw/cases.jsonl', Buffer.from(lines.join('\n')));
    await engine.validate();
    return (await engine.verdicts()).map(({ code, field }) => ({ code, field }));
  } finally {
    engine.close();
  }
}

function disagreements(lines: readonly string[], sql: readonly Verdict[]): string[] {
  return lines.flatMap((line, position) => {
    const expected = typescriptVerdict(line);
    const actual = sql[position];
    return expected.code === actual.code && expected.field === actual.field
      ? []
      : [`line ${position + 1} ${JSON.stringify(line.slice(0, 120))}: validate.ts says ${expected.code}/${expected.field}, SQL says ${actual.code}/${actual.field}`];
  });
}

/** Every column `validated` holds for each line, by the engine's typed parse first or by the per-rule checks alone. */
async function validatedRows(lines: readonly string[], typedRead: boolean): Promise<Record<string, unknown>[]> {
  const engine = await DuckDbTransform.open({ threads: 2, typedRead });
  try {
    await engine.prepare(locations, { runId: 'test', window: context.window, rejectedAt: new Date(NOW * 1000) });
    engine.appendObject('raw/cases.jsonl', Buffer.from(lines.join('\n')));
    await engine.validate();
    return await engine.validatedRows();
  } finally {
    engine.close();
  }
}

function generatedTraffic(seed: string, events: number): string[] {
  const rates = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0.04]));
  const lines: string[] = [];
  for (const record of simulate({ seed, start: NOW - 3 * 86400, events, faults: rates })) lines.push(record.line);
  return lines;
}

describe('the SQL validation (DuckDB rendering)', () => {
  it('gives every case line the reason code and field model/validate.ts gives it', async () => {
    const verdicts = await sqlVerdicts(CASES);
    expect(verdicts).to.have.length(CASES.length);
    expect(disagreements(CASES, verdicts)).to.deep.equal([]);
  });

  it('covers every reason code in the case table, and valid lines too', () => {
    const codes = new Set(CASES.map((line) => typescriptVerdict(line).code));
    expect([...codes].sort()).to.deep.equal(
      [
        null,
        'malformed_json',
        'missing_field',
        'not_an_object',
        'out_of_range',
        'timestamp_out_of_window',
        'unknown_location',
        'unknown_value',
        'unsupported_schema_version',
        'wrong_type',
      ].sort(),
    );
  });

  it('agrees with model/validate.ts on generated traffic with every kind of injected fault', async () => {
    const lines = generatedTraffic('sql-validation', 3000);
    const verdicts = await sqlVerdicts(lines);
    expect(disagreements(lines, verdicts)).to.deep.equal([]);
    const codes = new Set(verdicts.map((verdict) => verdict.code));
    for (const kind of FAULT_KINDS.filter((kind) => kind !== 'duplicate_event_id')) expect(codes).to.include(kind);
  });

  it('gives every line the same row, values and reasons alike, whether the typed parse or the per-rule checks decide it', async () => {
    const lines = [...CASES, ...generatedTraffic('typed-read', 3000)];
    const typed = await validatedRows(lines, true);
    const checked = await validatedRows(lines, false);
    expect(typed).to.have.length(lines.length);
    expect(typed).to.deep.equal(checked);
    expect(typed.filter((row) => row.reason_code === null).length, 'valid lines').to.be.greaterThan(2000);
  });

  it('takes no string for one of its allowed values that a number, true, false, an array or an object could be read as', () => {
    for (const text of ['17', '-0', '1.5e21', '1E400', 'NaN', 'nan', '-Infinity', 'inf', 'true', 'false', '[1]', '{"a":1}']) {
      expect(looksLikeJsonLiteral(text), text).to.equal(true);
    }
    for (const text of ['click', 'home_page', '1607ab1006-eevuh', 'https://x.example/', 'Infinite loop', 'nano']) {
      expect(looksLikeJsonLiteral(text), text).to.equal(false);
    }
    for (const field of EVENT_FIELDS) {
      if (field.type === 'string') for (const value of field.allowed ?? []) expect(looksLikeJsonLiteral(value), `${field.name} ${value}`).to.equal(false);
    }
  });
});
