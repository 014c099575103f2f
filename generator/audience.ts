/**
 * Who visits the shop: where they live (a realistic country mix over every reference location), how
 * old they are, and which device, operating system and browser they use (drawn so that they fit
 * together: no Safari on Android, no Samsung Internet on a desktop).
 */
import type { Browser, DeviceType, OperatingSystem } from '../model/events';
import { weighted, type Random, type WeightedTable } from './random';

/** What the simulation needs of a reference location; model/locations.ts `Location` satisfies it. */
export interface ReferenceLocation {
  readonly id: number;
  readonly continent: string;
  readonly isoAlpha2: string | null;
}

/** A location visitors can come from, with its share of visitors and its clock. */
export interface AudienceLocation {
  /** As events carry it: "17". */
  readonly id: string;
  /** Relative share of visitors. */
  readonly weight: number;
  /** Hours ahead of UTC, for the daily rhythm of its visitors. */
  readonly utcOffsetHours: number;
}

/**
 * Relative share of visitors by ISO country code, roughly following online-shopping populations of a
 * shop selling in Europe and North America first. Countries not listed get OTHER_COUNTRY_WEIGHT, so
 * every reference location appears, rarely.
 */
const COUNTRY_WEIGHTS: Readonly<Record<string, number>> = {
  US: 22, GB: 8, DE: 8, FR: 6, IT: 3.5, ES: 3.5, NL: 2.5, PL: 2, BE: 1.2, SE: 1.2, CH: 1, AT: 1,
  DK: 0.8, NO: 0.7, FI: 0.6, IE: 0.6, PT: 0.8, CZ: 0.7, GR: 0.5, HU: 0.5, RO: 0.7, RU: 1.5, UA: 0.6,
  CA: 3, MX: 2, BR: 3.5, AR: 1, CL: 0.6, CO: 0.8, PE: 0.4,
  AU: 2, NZ: 0.4, JP: 3, KR: 2, CN: 3, IN: 4, ID: 1.5, SG: 0.5, MY: 0.5, TH: 0.8, PH: 0.8, TW: 0.6,
  HK: 0.5, TR: 1.2, IL: 0.4, AE: 0.5, SA: 0.6, ZA: 0.8, NG: 0.6, EG: 0.6, KE: 0.3, MA: 0.3,
};
const OTHER_COUNTRY_WEIGHT = 0.03;
/** Antarctic stations and uninhabited islands: possible, but barely. */
const UNINHABITED_WEIGHT = 0.002;

/** The clock most of a country's visitors live by, where it differs from its continent's. */
const COUNTRY_UTC_OFFSETS: Readonly<Record<string, number>> = {
  US: -6, CA: -5, MX: -6, BR: -3, AR: -3, CL: -4, CO: -5, PE: -5,
  GB: 0, IE: 0, PT: 0, IS: 0, FI: 2, EE: 2, LV: 2, LT: 2, GR: 2, RO: 2, BG: 2, UA: 2, CY: 2,
  TR: 3, RU: 3, BY: 3, IL: 2, EG: 2, ZA: 2, KE: 3, SA: 3, AE: 4, IN: 5.5, PK: 5, BD: 6, LK: 5.5,
  TH: 7, ID: 7, VN: 7, MY: 8, SG: 8, PH: 8, CN: 8, HK: 8, TW: 8, JP: 9, KR: 9, AU: 10, NZ: 12,
};
const CONTINENT_UTC_OFFSETS: Readonly<Record<string, number>> = {
  Africa: 1, Antarctica: 0, Asia: 7, Europe: 1, 'North America': -6, Oceania: 10, 'South America': -3,
};

/** Turns reference locations into the audience: every id, weighted, with its clock. */
export function audienceFromLocations(locations: readonly ReferenceLocation[]): AudienceLocation[] {
  if (locations.length === 0) {
    throw new Error('audienceFromLocations: no locations given; pass the reference table (readBundledLocations())');
  }
  return locations.map((location) => {
    const code = location.isoAlpha2 ?? '';
    const weight = COUNTRY_WEIGHTS[code] ?? (location.continent === 'Antarctica' ? UNINHABITED_WEIGHT : OTHER_COUNTRY_WEIGHT);
    const utcOffsetHours = COUNTRY_UTC_OFFSETS[code] ?? CONTINENT_UTC_OFFSETS[location.continent] ?? 0;
    return { id: String(location.id), weight, utcOffsetHours };
  });
}

/** Age brackets of online shoppers (years, inclusive) and their shares; uniform within a bracket. */
const AGE_BRACKETS = weighted<readonly [number, number]>([
  [[16, 24], 0.17],
  [[25, 34], 0.25],
  [[35, 44], 0.21],
  [[45, 54], 0.16],
  [[55, 64], 0.12],
  [[65, 80], 0.09],
]);
export function drawAge(random: Random): number {
  const [youngest, oldest] = AGE_BRACKETS.draw(random);
  return random.between(youngest, oldest);
}

export interface DeviceProfile {
  readonly device: DeviceType;
  readonly os: OperatingSystem;
  readonly browser: Browser;
}

const DEVICES = weighted<DeviceType>([
  ['mobile', 0.55],
  ['desktop', 0.38],
  ['tablet', 0.07],
]);

const OS_BY_DEVICE: Readonly<Record<DeviceType, WeightedTable<OperatingSystem>>> = {
  desktop: weighted<OperatingSystem>([
    ['windows', 0.7],
    ['macos', 0.22],
    ['linux', 0.05],
    ['other', 0.03],
  ]),
  mobile: weighted<OperatingSystem>([
    ['android', 0.68],
    ['ios', 0.31],
    ['other', 0.01],
  ]),
  tablet: weighted<OperatingSystem>([
    ['ios', 0.55],
    ['android', 0.45],
  ]),
};

const BROWSER_BY_OS: Readonly<Record<OperatingSystem, WeightedTable<Browser>>> = {
  windows: weighted<Browser>([
    ['chrome', 0.68],
    ['edge', 0.2],
    ['firefox', 0.08],
    ['other', 0.04],
  ]),
  macos: weighted<Browser>([
    ['chrome', 0.5],
    ['safari', 0.4],
    ['firefox', 0.08],
    ['other', 0.02],
  ]),
  linux: weighted<Browser>([
    ['chrome', 0.6],
    ['firefox', 0.38],
    ['other', 0.02],
  ]),
  ios: weighted<Browser>([
    ['safari', 0.86],
    ['chrome', 0.14],
  ]),
  android: weighted<Browser>([
    ['chrome', 0.75],
    ['samsung_internet', 0.2],
    ['firefox', 0.03],
    ['other', 0.02],
  ]),
  other: weighted<Browser>([
    ['other', 0.7],
    ['chrome', 0.3],
  ]),
};

/** Every device, system and browser that go together, with the share of visitors using them. */
export const DEVICE_PROFILES: WeightedTable<DeviceProfile> = (() => {
  const pairs: [DeviceProfile, number][] = [];
  const share = <T>(table: WeightedTable<T>, index: number): number => table.weights[index] / table.total;
  DEVICES.items.forEach((device, d) => {
    const systems = OS_BY_DEVICE[device];
    systems.items.forEach((os, o) => {
      const browsers = BROWSER_BY_OS[os];
      browsers.items.forEach((browser, b) => {
        pairs.push([{ device, os, browser }, share(DEVICES, d) * share(systems, o) * share(browsers, b)]);
      });
    });
  });
  return weighted(pairs);
})();
