/**
 * Builds model/reference/countries_continents.csv, the reference table `locations`.
 *
 * Provenance: npm package `world-countries` 5.1.0 (mledoze/countries, ODbL-1.0), built 2026-11-25.
 * Rules:
 * - Ids 1–45 are the original application's file (shared/seed/countries_continents.csv), with its
 *   country names and continents kept verbatim so results computed from old data stay identical;
 *   only the ISO codes are added, from the package entry named in ORIGINAL_LOCATIONS.
 * - Every other country the package lists with status "officially-assigned" (ISO 3166-1; Kosovo's
 *   user-assigned XK is left out) follows from id 46, ordered by alpha-2 code ascending, named by
 *   `name.common`.
 * - Continent from region/subregion: Americas → South America for subregion "South America", else
 *   North America (North/Northern America, Central America, Caribbean); Antarctic → Antarctica;
 *   Africa, Asia, Europe, Oceania as named. An unknown region fails the build.
 *
 * Run: `npm run build:reference`, then commit the CSV. A test rebuilds it in memory and compares.
 * The script refuses to write a file that gives an existing id another country (a new ISO country
 * sorting between old ones would do that); `--allow-renumber` overrides.
 */
import '../cli/supported-node';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import countries, { type Country } from 'world-countries';
import { version as worldCountriesVersion } from 'world-countries/package.json';
import { BUNDLED_LOCATIONS_PATH, locationsCsv, parseLocationsCsv, type Continent, type Location } from '../model/locations';

interface OriginalLocation {
  readonly id: number;
  readonly countryName: string;
  readonly continent: Continent;
  /** The package entry this row is, by alpha-2; needed where the old name differs ("Sao Tome"). */
  readonly isoAlpha2: string;
}

/** The original file, row for row, with the ISO alpha-2 code of each country added by hand. */
export const ORIGINAL_LOCATIONS: readonly OriginalLocation[] = [
  { id: 1, countryName: 'United States', continent: 'North America', isoAlpha2: 'US' },
  { id: 2, countryName: 'Angola', continent: 'Africa', isoAlpha2: 'AO' },
  { id: 3, countryName: 'Argentina', continent: 'South America', isoAlpha2: 'AR' },
  { id: 4, countryName: 'Australia', continent: 'Oceania', isoAlpha2: 'AU' },
  { id: 5, countryName: 'Brazil', continent: 'South America', isoAlpha2: 'BR' },
  { id: 6, countryName: 'Cape Verde', continent: 'Africa', isoAlpha2: 'CV' },
  { id: 7, countryName: 'China', continent: 'Asia', isoAlpha2: 'CN' },
  { id: 8, countryName: 'Croatia', continent: 'Europe', isoAlpha2: 'HR' },
  { id: 9, countryName: 'Czech Republic', continent: 'Europe', isoAlpha2: 'CZ' },
  { id: 10, countryName: 'Denmark', continent: 'Europe', isoAlpha2: 'DK' },
  { id: 11, countryName: 'Ecuador', continent: 'South America', isoAlpha2: 'EC' },
  { id: 12, countryName: 'Egypt', continent: 'Africa', isoAlpha2: 'EG' },
  { id: 13, countryName: 'El Salvador', continent: 'North America', isoAlpha2: 'SV' },
  { id: 14, countryName: 'Estonia', continent: 'Europe', isoAlpha2: 'EE' },
  { id: 15, countryName: 'Ethiopia', continent: 'Africa', isoAlpha2: 'ET' },
  { id: 16, countryName: 'Finland', continent: 'Europe', isoAlpha2: 'FI' },
  { id: 17, countryName: 'France', continent: 'Europe', isoAlpha2: 'FR' },
  { id: 18, countryName: 'Germany', continent: 'Europe', isoAlpha2: 'DE' },
  { id: 19, countryName: 'Greece', continent: 'Europe', isoAlpha2: 'GR' },
  { id: 20, countryName: 'Hong Kong', continent: 'Asia', isoAlpha2: 'HK' },
  { id: 21, countryName: 'Hungary', continent: 'Europe', isoAlpha2: 'HU' },
  { id: 22, countryName: 'Iran', continent: 'Asia', isoAlpha2: 'IR' },
  { id: 23, countryName: 'Ireland', continent: 'Europe', isoAlpha2: 'IE' },
  { id: 24, countryName: 'Israel', continent: 'Asia', isoAlpha2: 'IL' },
  { id: 25, countryName: 'Italy', continent: 'Europe', isoAlpha2: 'IT' },
  { id: 26, countryName: 'Japan', continent: 'Asia', isoAlpha2: 'JP' },
  { id: 27, countryName: 'Luxembourg', continent: 'Europe', isoAlpha2: 'LU' },
  { id: 28, countryName: 'Madagascar', continent: 'Africa', isoAlpha2: 'MG' },
  { id: 29, countryName: 'Malaysia', continent: 'Asia', isoAlpha2: 'MY' },
  { id: 30, countryName: 'Maldives', continent: 'Asia', isoAlpha2: 'MV' },
  { id: 31, countryName: 'Mexico', continent: 'North America', isoAlpha2: 'MX' },
  { id: 32, countryName: 'Morocco', continent: 'Africa', isoAlpha2: 'MA' },
  { id: 33, countryName: 'Mozambique', continent: 'Africa', isoAlpha2: 'MZ' },
  { id: 34, countryName: 'Netherlands', continent: 'Europe', isoAlpha2: 'NL' },
  { id: 35, countryName: 'New Zealand', continent: 'Oceania', isoAlpha2: 'NZ' },
  { id: 36, countryName: 'Nigeria', continent: 'Africa', isoAlpha2: 'NG' },
  { id: 37, countryName: 'Norway', continent: 'Europe', isoAlpha2: 'NO' },
  { id: 38, countryName: 'Portugal', continent: 'Europe', isoAlpha2: 'PT' },
  { id: 39, countryName: 'Sao Tome', continent: 'Africa', isoAlpha2: 'ST' },
  { id: 40, countryName: 'South Africa', continent: 'Africa', isoAlpha2: 'ZA' },
  { id: 41, countryName: 'Spain', continent: 'Europe', isoAlpha2: 'ES' },
  { id: 42, countryName: 'Sweden', continent: 'Europe', isoAlpha2: 'SE' },
  { id: 43, countryName: 'Switzerland', continent: 'Europe', isoAlpha2: 'CH' },
  { id: 44, countryName: 'Turkey', continent: 'Asia', isoAlpha2: 'TR' },
  { id: 45, countryName: 'United Kingdom', continent: 'Europe', isoAlpha2: 'GB' },
];

const NORTH_AMERICAN_SUBREGIONS = ['North America', 'Northern America', 'Central America', 'Caribbean'];
const CONTINENT_OF_REGION: Readonly<Record<string, Continent>> = {
  Africa: 'Africa',
  Antarctic: 'Antarctica',
  Asia: 'Asia',
  Europe: 'Europe',
  Oceania: 'Oceania',
};

export function continentOf(country: Pick<Country, 'cca2' | 'region' | 'subregion'>): Continent {
  if (country.region === 'Americas') {
    if (country.subregion === 'South America') return 'South America';
    if (NORTH_AMERICAN_SUBREGIONS.includes(country.subregion)) return 'North America';
  } else if (Object.hasOwn(CONTINENT_OF_REGION, country.region)) {
    return CONTINENT_OF_REGION[country.region];
  }
  throw new Error(
    `world-countries: ${country.cca2} has region "${country.region}" / subregion "${country.subregion}", which scripts/build-reference.ts does not map to a continent; add it to the mapping`,
  );
}

/** Countries with an officially assigned ISO 3166-1 code. */
export function isoCountries(all: readonly Country[]): Country[] {
  return all.filter((country) => country.status === 'officially-assigned');
}

function isoCodes(country: Country): Pick<Location, 'isoAlpha2' | 'isoAlpha3' | 'isoNumeric'> {
  return { isoAlpha2: country.cca2, isoAlpha3: country.cca3, isoNumeric: country.ccn3 };
}

/** The whole table, from a country list (the package's, or a test's). Pure: no file access. */
export function buildLocations(all: readonly Country[]): Location[] {
  const byAlpha2 = new Map(isoCountries(all).map((country) => [country.cca2, country]));
  const originals = ORIGINAL_LOCATIONS.map((original): Location => {
    const country = byAlpha2.get(original.isoAlpha2);
    if (!country) {
      throw new Error(`world-countries has no officially assigned country ${original.isoAlpha2} for original id ${original.id} "${original.countryName}"; fix ORIGINAL_LOCATIONS`);
    }
    // The kept continent must agree with the package's, or the alpha-2 in ORIGINAL_LOCATIONS is wrong.
    const continent = continentOf(country);
    if (continent !== original.continent) {
      throw new Error(
        `original id ${original.id} "${original.countryName}" is in ${original.continent}, but ${original.isoAlpha2} (${country.name.common}) maps to ${continent}; check its alpha-2 code`,
      );
    }
    return { id: original.id, countryName: original.countryName, continent: original.continent, ...isoCodes(country) };
  });
  const taken = new Set(ORIGINAL_LOCATIONS.map((original) => original.isoAlpha2));
  const rest = [...byAlpha2.values()]
    .filter((country) => !taken.has(country.cca2))
    .sort((a, b) => (a.cca2 < b.cca2 ? -1 : a.cca2 > b.cca2 ? 1 : 0))
    .map((country, index): Location => ({
      id: ORIGINAL_LOCATIONS.length + 1 + index,
      countryName: country.name.common,
      continent: continentOf(country),
      ...isoCodes(country),
    }));
  return [...originals, ...rest];
}

/** The CSV text the committed file must hold; parsed back so a bad build cannot be written. */
export function buildReferenceCsv(all: readonly Country[] = countries): string {
  const csv = locationsCsv(buildLocations(all));
  parseLocationsCsv(csv, 'built countries_continents.csv');
  return csv;
}

/**
 * Ids whose country differs between two builds. Ids from 46 follow alpha-2 order, so a country new
 * to ISO 3166-1 would shift the ones after it and silently re-map raw events that carry those ids.
 */
export function changedIds(previous: readonly Location[], next: readonly Location[]): string[] {
  const nextById = new Map(next.map((location) => [location.id, location]));
  return previous
    .filter((location) => nextById.get(location.id)?.isoAlpha2 !== location.isoAlpha2)
    .map((location) => `${location.id} (${location.isoAlpha2} → ${nextById.get(location.id)?.isoAlpha2 ?? 'gone'})`);
}

function main(): void {
  const csv = buildReferenceCsv();
  if (existsSync(BUNDLED_LOCATIONS_PATH) && !process.argv.includes('--allow-renumber')) {
    const previous = parseLocationsCsv(readFileSync(BUNDLED_LOCATIONS_PATH, 'utf8'), BUNDLED_LOCATIONS_PATH);
    const changed = changedIds(previous, parseLocationsCsv(csv, 'built countries_continents.csv'));
    if (changed.length > 0) {
      throw new Error(
        `build:reference would change the country of ids ${changed.join(', ')}; events already written with those ids would change country. ` +
          'Give new countries ids after the last one in buildLocations, or rerun with --allow-renumber if no data uses them yet.',
      );
    }
  }
  writeFileSync(BUNDLED_LOCATIONS_PATH, csv);
  const rows = csv.trimEnd().split('\n').length - 1;
  console.log(`wrote ${BUNDLED_LOCATIONS_PATH}: ${rows} locations from world-countries ${worldCountriesVersion}`);
}

if (require.main === module) main();
