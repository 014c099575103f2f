/**
 * One key layout for the local folder and for S3. On AWS the areas live in separate buckets
 * (raw, processed, results), but a key is the same string everywhere, prefix included.
 */
export const AREAS = ['raw', 'processed', 'results', 'rejected', 'reference', 'etl'] as const;
export type Area = (typeof AREAS)[number];

export const PREFIXES: Readonly<Record<Area, string>> = {
  raw: 'raw/',
  processed: 'processed/',
  results: 'results/',
  rejected: 'rejected/',
  reference: 'reference/',
  // The ETL's manifests, claims and run state; kept beside the results they describe.
  etl: '_etl/',
};

/** Which of the stage's buckets holds an area on AWS. Locally every area is in one folder. */
export type BucketRole = 'raw' | 'processed' | 'results';
export const BUCKET_OF_AREA: Readonly<Record<Area, BucketRole>> = {
  raw: 'raw',
  processed: 'processed',
  results: 'results',
  rejected: 'results',
  reference: 'results',
  etl: 'results',
};

export const LOCATIONS_KEY = `${PREFIXES.reference}locations/countries_continents.csv`;

/** `raw/x/y.json` → `processed/x/y.json`: a consumed file keeps its path under the new prefix. */
export function processedKeyFor(rawKey: string): string {
  if (!rawKey.startsWith(PREFIXES.raw)) {
    throw new Error(`processedKeyFor: key "${rawKey}" is not under ${PREFIXES.raw}`);
  }
  return PREFIXES.processed + rawKey.slice(PREFIXES.raw.length);
}
