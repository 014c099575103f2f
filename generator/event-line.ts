/**
 * Renders events as JSON lines, fast: the parts constant for a user, a session, a product or an event
 * type are rendered once (with JSON.stringify, so strings are escaped correctly) and an event line is
 * a concatenation of those parts and a few numbers. Field order follows EVENT_FIELDS.
 * JSON.stringify of a whole object per event would cap the generator well below its target rate.
 */
import { EVENT_TYPES, PRODUCT_CATEGORIES, USER_ACTIONS, type EventType, type ProductCategory, type UserAction } from '../model/events';
import type { TrafficSource } from './catalog';
import type { Step } from './journey';
import type { User } from './population';

function table<K extends string>(keys: readonly K[], render: (key: K) => string): Readonly<Record<K, string>> {
  return Object.fromEntries(keys.map((key) => [key, render(key)])) as Record<K, string>;
}

const TYPE_JSON = table<EventType>(EVENT_TYPES, (type) => `,"event_type":${JSON.stringify(type)},`);
const ACTION_JSON = table<UserAction>(USER_ACTIONS, (action) => `"user_action":${JSON.stringify(action)},`);
const CATEGORY_ONLY_JSON = table<ProductCategory>(
  PRODUCT_CATEGORIES,
  (category) => `"product_category":${JSON.stringify(category)},"product_id":null,"price":null,"quantity":null,`,
);
const NO_PRODUCT_JSON = '"product_category":null,"product_id":null,"price":null,"quantity":null,';
const HEAD = `{"schema_version":2,"event_id":`;

/** The parts of an event line that are the same for every event of one session. */
export interface SessionJson {
  /** `"user_id":"…","session_id":"…",` */
  readonly ids: string;
  /** `"location":"17","user_age":34,"timestamp":` */
  readonly middle: string;
  /** `"device_type":…,"utm_campaign":…}` */
  readonly tail: string;
  /** The external referrer of the landing page, as JSON (`null` for direct traffic). */
  readonly landingReferrer: string;
}

export function sessionJson(user: User, sessionId: string, source: TrafficSource): SessionJson {
  const { device, browser, os } = user.profile;
  return {
    ids: `"user_id":${JSON.stringify(user.id)},"session_id":${JSON.stringify(sessionId)},`,
    middle: user.jsonMiddle,
    tail:
      `"device_type":${JSON.stringify(device)},"browser":${JSON.stringify(browser)},"os":${JSON.stringify(os)},` +
      `"utm_source":${JSON.stringify(source.utmSource)},"utm_medium":${JSON.stringify(source.utmMedium)},` +
      `"utm_campaign":${JSON.stringify(source.utmCampaign)}}`,
    landingReferrer: JSON.stringify(source.referrer),
  };
}

/**
 * One event as a JSON line (no newline). `urlJson` is the step's page URL as JSON and `referrerJson`
 * the previous page's (or the landing referrer): callers keep the previous one rather than re-escape it.
 */
export function eventLine(eventId: string, step: Step, session: SessionJson, urlJson: string, referrerJson: string): string {
  let product: string;
  if (step.product !== null) {
    product =
      step.quantity === null
        ? `${step.product.json}"price":null,"quantity":null,`
        : `${step.product.json}"price":${step.product.price},"quantity":${step.quantity},`;
  } else {
    product = step.category === null ? NO_PRODUCT_JSON : CATEGORY_ONLY_JSON[step.category];
  }
  return (
    HEAD +
    JSON.stringify(eventId) +
    TYPE_JSON[step.type] +
    session.ids +
    ACTION_JSON[step.action] +
    product +
    session.middle +
    step.at +
    ',"page_url":' +
    urlJson +
    ',"referrer":' +
    referrerJson +
    ',' +
    session.tail
  );
}
