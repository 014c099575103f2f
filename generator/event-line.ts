/**
 * Writes events as JSON lines, fast: the parts constant for a user, a session, a product, a page or an
 * event type are rendered once (with JSON.stringify, so strings are escaped correctly) and encoded to
 * bytes; a line is those pieces copied into the file's buffer around a few numbers written as digits.
 * JSON.stringify of a whole object per event would cap the generator well below its target rate.
 */
import type { EventType, ProductCategory, UserAction } from '../model/events';
import type { TrafficSource } from './catalog';
import type { Step } from './journey';
import type { LineBuffer } from './line-buffer';
import type { User } from './population';

function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** Longest line the fixed parts can make; checked once per line, URLs and referrers added on. */
const MAX_EVENT_BYTES = 4 * 1024;

/** Ids are `<namespace>-e<sequence in base 36>`: safe characters, so the quotes can be written around them. */
const ID_PATTERN = /^[a-z0-9-]+$/;

/**
 * A line is eight pieces, in this order: the head and the event's sequence number (the id), the
 * event piece (type, page, product fields), the quantity's digits on priced events, the session
 * piece (user, session, location, age) and the time's digits, the page piece, the referrer piece (the
 * previous page's), and the tail (device and campaign). Each piece is made once, where what it
 * holds is made: the field order follows from that, not from EVENT_FIELDS (JSON objects have none).
 */

/** `{"schema_version":2,"event_id":"<namespace>-e`, the start of every line of one run. */
export function lineHead(namespace: string): Buffer {
  if (!ID_PATTERN.test(namespace)) throw new Error(`event id namespace "${namespace}" must be lower-case letters, digits and dashes`);
  return bytes(`{"schema_version":2,"event_id":"${namespace}-e`);
}

/**
 * `","event_type":…,"user_action":…,"product_category":…,"product_id":…,"price":…,"quantity":`
 * (closing the id first). Priced events end at `"quantity":`, for the digits; the others hold null.
 */
export function eventPiece(
  type: EventType,
  action: UserAction,
  category: ProductCategory | null,
  product: { readonly id: string; readonly price: number } | null,
  priced: boolean,
): Buffer {
  const price = priced && product !== null ? `${product.price},"quantity":` : 'null,"quantity":null';
  return bytes(
    `","event_type":${JSON.stringify(type)},"user_action":${JSON.stringify(action)},` +
      `"product_category":${JSON.stringify(category)},"product_id":${JSON.stringify(product?.id ?? null)},"price":${price}`,
  );
}

/** A URL as it appears in lines: as the event's page (`,"page_url":"…"`) and as the next one's referrer. */
export interface UrlPieces {
  readonly page: Buffer;
  readonly referrer: Buffer;
}

export function urlPieces(url: string): UrlPieces {
  return { page: bytes(`,"page_url":${JSON.stringify(url)}`), referrer: referrerPiece(url) };
}

/** `,"referrer":"…",` (or null, for direct traffic). */
export function referrerPiece(url: string | null): Buffer {
  return bytes(`,"referrer":${JSON.stringify(url)},`);
}

/** `,"user_id":"…","session_id":"…",` and the user's `"location":"17","user_age":34,"timestamp":`. */
export function sessionPiece(user: User, sessionId: string): Buffer {
  return bytes(`,"user_id":${JSON.stringify(user.id)},"session_id":${JSON.stringify(sessionId)},${user.jsonMiddle}`);
}

/** The user's part of the session piece: `"location":"17","user_age":34,"timestamp":`. */
export function userMiddle(location: string, age: number): string {
  return `"location":${JSON.stringify(location)},"user_age":${age},"timestamp":`;
}

const tails = new WeakMap<TrafficSource, Buffer[]>();

/** `"device_type":…,"browser":…,"os":…,"utm_source":…,"utm_medium":…,"utm_campaign":…}`, made once per profile and source. */
export function tailPiece(user: User, source: TrafficSource): Buffer {
  let bySource = tails.get(source);
  if (bySource === undefined) {
    bySource = [];
    tails.set(source, bySource);
  }
  let tail = bySource[user.profileIndex];
  if (tail === undefined) {
    const { device, browser, os } = user.profile;
    tail = bytes(
      `"device_type":${JSON.stringify(device)},"browser":${JSON.stringify(browser)},"os":${JSON.stringify(os)},` +
        `"utm_source":${JSON.stringify(source.utmSource)},"utm_medium":${JSON.stringify(source.utmMedium)},` +
        `"utm_campaign":${JSON.stringify(source.utmCampaign)}}`,
    );
    bySource[user.profileIndex] = tail;
  }
  return tail;
}

/** The pieces of a session's lines that are the same for all its events. */
export interface SessionJson {
  readonly session: Buffer;
  readonly tail: Buffer;
  /** The landing page's referrer piece. */
  readonly landingReferrer: Buffer;
}

/**
 * Writes one event as a JSON line, without the newline. `head` is lineHead(namespace), `sequence` the
 * event's number in the run, `referrer` the previous page's referrer piece (or the landing one).
 */
export function writeEvent(out: LineBuffer, head: Buffer, sequence: number, step: Step, session: SessionJson, referrer: Buffer): void {
  out.reserve(MAX_EVENT_BYTES + step.page.page.length + referrer.length);
  out.bytes(head);
  out.base36(sequence);
  out.bytes(step.json);
  if (step.quantity !== null) out.decimal(step.quantity);
  out.bytes(session.session);
  out.decimal(step.at);
  out.bytes(step.page.page);
  out.bytes(referrer);
  out.bytes(session.tail);
}
