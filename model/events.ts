/**
 * The raw event contract: what a producer may write to `raw/`.
 *
 * The field list is data, not code, so that the TypeScript validator, the ETL's SQL (DuckDB and Spark)
 * and the README are all rendered from this one list. Schema version 1 is the original application's
 * event, which must stay valid input for ever; version 2 is ours, a strict superset.
 */

export const EVENT_TYPES = [
  'page_view',
  'product_view',
  'search',
  'add_to_cart',
  'remove_from_cart',
  'checkout',
  'purchase',
  // The original application's generic interaction; kept so that version 1 events stay valid.
  'click',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * How each event type reads to a person: written once, here, and used by every rendering that shows
 * event types (the local dashboard page and QuickSight), so the two never name a type differently.
 */
export const EVENT_TYPE_NAMES: Readonly<Record<EventType, string>> = {
  page_view: 'Page view',
  product_view: 'Product view',
  search: 'Search',
  add_to_cart: 'Add to cart',
  remove_from_cart: 'Remove from cart',
  checkout: 'Checkout',
  purchase: 'Purchase',
  click: 'Click',
};

/** The shop's funnel, in order: each step's users are a subset of the previous step's. */
export const FUNNEL_STEPS = ['product_view', 'add_to_cart', 'checkout', 'purchase'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export const USER_ACTIONS = [
  'home_page',
  'category_page',
  'product_page',
  'search_page',
  'cart_page',
  'checkout_page',
  'confirmation_page',
] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export const PRODUCT_CATEGORIES = [
  'electronics',
  'clothing',
  'books',
  'home_appliances',
  'toys',
  'other',
] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/**
 * How each device type reads to a person, as EVENT_TYPE_NAMES. `unknown` is what the queries report
 * for version 1 events, which carry no device.
 */
export const DEVICE_TYPE_NAMES: Readonly<Record<DeviceType | 'unknown', string>> = {
  desktop: 'Desktop',
  mobile: 'Mobile',
  tablet: 'Tablet',
  unknown: 'Unknown device',
};

export const BROWSERS = ['chrome', 'safari', 'firefox', 'edge', 'samsung_internet', 'other'] as const;
export type Browser = (typeof BROWSERS)[number];

export const OPERATING_SYSTEMS = ['windows', 'macos', 'linux', 'ios', 'android', 'other'] as const;
export type OperatingSystem = (typeof OPERATING_SYSTEMS)[number];

export const SCHEMA_VERSIONS = [1, 2] as const;
export type SchemaVersion = (typeof SCHEMA_VERSIONS)[number];

/** Which schema versions require a field; a field not required may be absent or null. */
export type Requirement = 'always' | 'v2' | 'optional';

interface FieldBase {
  readonly name: string;
  readonly description: string;
  readonly required: Requirement;
}
export interface StringField extends FieldBase {
  readonly type: 'string';
  readonly maxLength: number;
  readonly allowed?: readonly string[];
  /** A string that must hold a positive integer, as the original `location` did ("17"). */
  readonly digits?: boolean;
}
export interface IntegerField extends FieldBase {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  readonly allowed?: readonly number[];
}
export interface NumberField extends FieldBase {
  readonly type: 'number';
  readonly min: number;
  readonly max: number;
}
export type EventField = StringField | IntegerField | NumberField;

const URL_MAX = 2048;
const ID_MAX = 128;

export const EVENT_FIELDS: readonly EventField[] = [
  {
    name: 'schema_version',
    type: 'integer',
    min: 1,
    max: 2,
    allowed: SCHEMA_VERSIONS,
    required: 'optional',
    description: 'Contract version. Absent means 1, the original application\'s event.',
  },
  {
    name: 'event_id',
    type: 'string',
    maxLength: ID_MAX,
    required: 'v2',
    description: 'Unique id of the event. Version 1 events get one derived from their source key and line.',
  },
  { name: 'event_type', type: 'string', maxLength: 32, allowed: EVENT_TYPES, required: 'always', description: 'What happened.' },
  { name: 'user_id', type: 'string', maxLength: ID_MAX, required: 'always', description: 'Stable id of the visitor.' },
  { name: 'session_id', type: 'string', maxLength: ID_MAX, required: 'v2', description: 'Visit id; a new one after 30 minutes of inactivity.' },
  { name: 'user_action', type: 'string', maxLength: 32, allowed: USER_ACTIONS, required: 'always', description: 'The page the event happened on.' },
  {
    name: 'product_category',
    type: 'string',
    maxLength: 32,
    allowed: PRODUCT_CATEGORIES,
    required: 'optional',
    description: 'Category of the product concerned; null where no product is (searches, home page).',
  },
  { name: 'product_id', type: 'string', maxLength: ID_MAX, required: 'optional', description: 'Product concerned, if any.' },
  { name: 'price', type: 'number', min: 0, max: 1_000_000, required: 'optional', description: 'Unit price in EUR, on cart, checkout and purchase events.' },
  { name: 'quantity', type: 'integer', min: 1, max: 1000, required: 'optional', description: 'Units, on cart, checkout and purchase events.' },
  {
    name: 'location',
    type: 'string',
    maxLength: 8,
    digits: true,
    required: 'always',
    description: 'Location id as a string ("17"), looked up in the reference table `locations`.',
  },
  { name: 'user_age', type: 'integer', min: 13, max: 120, required: 'always', description: 'Age of the visitor in years.' },
  {
    name: 'timestamp',
    type: 'integer',
    min: 0,
    max: 9_999_999_999,
    required: 'always',
    description: 'When it happened, in epoch seconds (UTC); must fall inside the accepted window.',
  },
  { name: 'page_url', type: 'string', maxLength: URL_MAX, required: 'v2', description: 'URL of the page.' },
  { name: 'referrer', type: 'string', maxLength: URL_MAX, required: 'optional', description: 'Referring URL; null for direct traffic.' },
  { name: 'device_type', type: 'string', maxLength: 16, allowed: DEVICE_TYPES, required: 'v2', description: 'Device class.' },
  { name: 'browser', type: 'string', maxLength: 32, allowed: BROWSERS, required: 'v2', description: 'Browser family.' },
  { name: 'os', type: 'string', maxLength: 32, allowed: OPERATING_SYSTEMS, required: 'v2', description: 'Operating system family.' },
  { name: 'utm_source', type: 'string', maxLength: 128, required: 'optional', description: 'Campaign source, if the visit came from one.' },
  { name: 'utm_medium', type: 'string', maxLength: 128, required: 'optional', description: 'Campaign medium.' },
  { name: 'utm_campaign', type: 'string', maxLength: 128, required: 'optional', description: 'Campaign name.' },
];

/** A version 1 event: the original application's shape, exactly. */
export interface LegacyEvent {
  event_type: 'click' | 'search' | 'purchase';
  user_id: string;
  user_action: UserAction;
  product_category: ProductCategory | null;
  location: string;
  user_age: number;
  timestamp: number;
}

/** A version 2 event, as our generator writes it. */
export interface ClickstreamEvent {
  schema_version: 2;
  event_id: string;
  event_type: EventType;
  user_id: string;
  session_id: string;
  user_action: UserAction;
  product_category: ProductCategory | null;
  product_id: string | null;
  price: number | null;
  quantity: number | null;
  location: string;
  user_age: number;
  timestamp: number;
  page_url: string;
  referrer: string | null;
  device_type: DeviceType;
  browser: Browser;
  os: OperatingSystem;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

/** An event that passed validation, normalised to every field of the contract. */
export interface ValidEvent {
  schema_version: SchemaVersion;
  event_id: string | null;
  event_type: EventType;
  user_id: string;
  session_id: string | null;
  user_action: UserAction;
  product_category: ProductCategory | null;
  product_id: string | null;
  price: number | null;
  quantity: number | null;
  location: string;
  user_age: number;
  timestamp: number;
  page_url: string | null;
  referrer: string | null;
  device_type: DeviceType | null;
  browser: Browser | null;
  os: OperatingSystem | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

export function isRequired(field: EventField, version: SchemaVersion): boolean {
  return field.required === 'always' || (field.required === 'v2' && version >= 2);
}
