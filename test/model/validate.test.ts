import { expect } from 'chai';
import { EVENT_FIELDS } from '../../model/events';
import type { ReasonCode } from '../../model/reasons';
import { CURRENT_EVENT, LEGACY_EVENT, SAMPLE_NOW, without } from '../fixtures/sample-events';
import { EARLIEST_ACCEPTED_TIMESTAMP, defaultTimestampWindow, validateEvent, validateLine, type ValidationContext } from '../../model/validate';

const NOW = SAMPLE_NOW;
const knownLocations = new Set(Array.from({ length: 45 }, (_, index) => String(index + 1)));
const context: ValidationContext = {
  isKnownLocation: (id) => knownLocations.has(id),
  window: defaultTimestampWindow(NOW),
};

const legacy = LEGACY_EVENT;
const current = CURRENT_EVENT;

interface Case {
  readonly name: string;
  readonly line: string;
  readonly code: ReasonCode;
  readonly field?: string;
}

const json = (value: unknown) => JSON.stringify(value);

const rejected: readonly Case[] = [
  { name: 'a truncated line', line: '{"event_type": "click", "user_id"', code: 'malformed_json' },
  { name: 'an empty line', line: '', code: 'malformed_json' },
  { name: 'a JSON array', line: '[1,2]', code: 'not_an_object' },
  { name: 'a JSON string', line: '"click"', code: 'not_an_object' },
  { name: 'JSON null', line: 'null', code: 'not_an_object' },
  { name: 'schema version 3', line: json({ ...current, schema_version: 3 }), code: 'unsupported_schema_version', field: 'schema_version' },
  { name: 'schema version as a string', line: json({ ...current, schema_version: '2' }), code: 'unsupported_schema_version', field: 'schema_version' },
  { name: 'a version 2 event without event_id', line: json(without(current, 'event_id')), code: 'missing_field', field: 'event_id' },
  { name: 'a version 2 event without session_id', line: json(without(current, 'session_id')), code: 'missing_field', field: 'session_id' },
  { name: 'a version 2 event without page_url', line: json(without(current, 'page_url')), code: 'missing_field', field: 'page_url' },
  { name: 'a version 2 event without device_type', line: json(without(current, 'device_type')), code: 'missing_field', field: 'device_type' },
  { name: 'a legacy event without user_id', line: json(without(legacy, 'user_id')), code: 'missing_field', field: 'user_id' },
  { name: 'a legacy event with a null timestamp', line: json({ ...legacy, timestamp: null }), code: 'missing_field', field: 'timestamp' },
  { name: 'a legacy event without location', line: json(without(legacy, 'location')), code: 'missing_field', field: 'location' },
  { name: 'user_age as a string', line: json({ ...legacy, user_age: '34' }), code: 'wrong_type', field: 'user_age' },
  { name: 'a fractional user_age', line: json({ ...legacy, user_age: 34.5 }), code: 'wrong_type', field: 'user_age' },
  { name: 'location as a number', line: json({ ...legacy, location: 17 }), code: 'wrong_type', field: 'location' },
  { name: 'user_id as an object', line: json({ ...legacy, user_id: { id: 1 } }), code: 'wrong_type', field: 'user_id' },
  { name: 'timestamp in milliseconds as a string', line: json({ ...legacy, timestamp: '1730000000000' }), code: 'wrong_type', field: 'timestamp' },
  { name: 'price as a string', line: json({ ...current, price: '12.50' }), code: 'wrong_type', field: 'price' },
  { name: 'a fractional quantity', line: json({ ...current, quantity: 1.5 }), code: 'wrong_type', field: 'quantity' },
  { name: 'an age of 7', line: json({ ...legacy, user_age: 7 }), code: 'out_of_range', field: 'user_age' },
  { name: 'an age of 200', line: json({ ...legacy, user_age: 200 }), code: 'out_of_range', field: 'user_age' },
  { name: 'a negative price', line: json({ ...current, price: -1 }), code: 'out_of_range', field: 'price' },
  { name: 'a zero quantity', line: json({ ...current, quantity: 0 }), code: 'out_of_range', field: 'quantity' },
  { name: 'an empty user_id', line: json({ ...legacy, user_id: '' }), code: 'out_of_range', field: 'user_id' },
  { name: 'a 200-character user_id', line: json({ ...legacy, user_id: 'x'.repeat(200) }), code: 'out_of_range', field: 'user_id' },
  { name: 'a location that is not digits', line: json({ ...legacy, location: 'FR' }), code: 'out_of_range', field: 'location' },
  { name: 'an unknown event type', line: json({ ...legacy, event_type: 'hover' }), code: 'unknown_value', field: 'event_type' },
  { name: 'an unknown page', line: json({ ...legacy, user_action: 'about_page' }), code: 'unknown_value', field: 'user_action' },
  { name: 'an unknown category', line: json({ ...legacy, product_category: 'food' }), code: 'unknown_value', field: 'product_category' },
  { name: 'an unknown device', line: json({ ...current, device_type: 'watch' }), code: 'unknown_value', field: 'device_type' },
  { name: 'location 999', line: json({ ...legacy, location: '999' }), code: 'unknown_location', field: 'location' },
  { name: 'location 0', line: json({ ...legacy, location: '0' }), code: 'unknown_location', field: 'location' },
  { name: 'a timestamp in 2009', line: json({ ...legacy, timestamp: EARLIEST_ACCEPTED_TIMESTAMP - 1 }), code: 'timestamp_out_of_window', field: 'timestamp' },
  { name: 'a timestamp two days ahead', line: json({ ...legacy, timestamp: NOW + 2 * 86400 }), code: 'timestamp_out_of_window', field: 'timestamp' },
  { name: 'a timestamp in milliseconds', line: json({ ...legacy, timestamp: 1730000000000 }), code: 'out_of_range', field: 'timestamp' },
];

describe('event validation', () => {
  it('accepts an event in exactly the original application\'s shape as schema version 1', () => {
    const result = validateLine(json(legacy), context);
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.event.schema_version).to.equal(1);
    expect(result.event.event_id).to.equal(null);
    expect(result.event.location).to.equal('17');
  });

  it('accepts an original search event, whose product_category is null', () => {
    const result = validateLine(json({ ...legacy, event_type: 'search', user_action: 'search_page', product_category: null }), context);
    expect(result.ok).to.equal(true);
  });

  it('accepts a version 2 event and keeps every field', () => {
    const result = validateLine(json(current), context);
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.event).to.deep.equal(current);
  });

  it('fills absent optional fields with null, so every valid event has every contract field', () => {
    const result = validateEvent(without(current, 'referrer'), context);
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(Object.keys(result.event).sort()).to.deep.equal(EVENT_FIELDS.map((field) => field.name).sort());
    expect(result.event.referrer).to.equal(null);
  });

  it('ignores fields the contract does not know, so producers can add context', () => {
    const result = validateEvent({ ...current, experiment: 'b' }, context);
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.event).to.not.have.property('experiment');
  });

  it('accepts the edges of the window and of each range', () => {
    for (const event of [
      { ...legacy, timestamp: EARLIEST_ACCEPTED_TIMESTAMP },
      { ...legacy, timestamp: NOW + 86400 },
      { ...legacy, user_age: 13 },
      { ...legacy, user_age: 120 },
      { ...current, price: 0 },
    ]) {
      expect(validateEvent(event, context).ok, JSON.stringify(event)).to.equal(true);
    }
  });

  for (const { name, line, code, field } of rejected) {
    it(`rejects ${name} as ${code}${field ? ` on ${field}` : ''}`, () => {
      const result = validateLine(line, context);
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(result.rejection.code).to.equal(code);
      expect(result.rejection.field).to.equal(field);
      expect(result.rejection.detail).to.be.a('string').and.not.be.empty;
      if (field) expect(result.rejection.detail).to.include(field);
    });
  }

  it('reports the first broken rule in contract order', () => {
    const result = validateEvent({ ...legacy, event_type: 'hover', user_age: 'old', location: '999' }, context);
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.rejection.field).to.equal('event_type');
  });

  it('says what is allowed in the detail of an unknown value', () => {
    const result = validateEvent({ ...legacy, event_type: 'hover' }, context);
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.rejection.detail).to.equal('event_type "hover" is not one of page_view, product_view, search, add_to_cart, remove_from_cart, checkout, purchase, click');
  });
});
