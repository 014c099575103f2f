import type { StorageConfig } from '../../config/stage-config';
import { PREFIXES } from '../../model/layout';

/** The four buckets of a stage: the lake's three areas plus Athena's query results. */
export const LAKE_BUCKET_ROLES = ['raw', 'processed', 'results', 'athena-results'] as const;
export type LakeBucketRole = (typeof LAKE_BUCKET_ROLES)[number];

/** Athena writes query results under this prefix of the athena-results bucket. */
export const ATHENA_RESULTS_PREFIX = 'athena/';

/** One S3 lifecycle rule, in the shape `aws.s3.BucketLifecycleConfiguration` takes. */
export interface LifecycleRule {
  id: string;
  status: 'Enabled';
  filter: { prefix?: string };
  transitions?: { days: number; storageClass: 'GLACIER' }[];
  expiration?: { days?: number; expiredObjectDeleteMarker?: boolean };
  noncurrentVersionExpiration?: { noncurrentDays: number };
  abortIncompleteMultipartUpload: { daysAfterInitiation: number };
}

/**
 * Retention per bucket, from the stage config. Every bucket aborts incomplete multipart uploads
 * (they are invisible and billed); raw is versioned, so overwritten or deleted versions expire;
 * processed raw files go to Glacier and then expire; Athena results are scratch and expire.
 * Results hold the tables and are never expired by a rule.
 */
export function lifecycleRules(role: LakeBucketRole, storage: StorageConfig): LifecycleRule[] {
  const abort = { daysAfterInitiation: storage.abortIncompleteUploadDays };
  switch (role) {
    case 'raw':
      return [
        {
          id: 'expire-replaced-raw-versions',
          status: 'Enabled',
          filter: { prefix: PREFIXES.raw },
          noncurrentVersionExpiration: { noncurrentDays: storage.rawNoncurrentExpireDays },
          // Once its last noncurrent version expires, a delete marker is clutter: remove it.
          expiration: { expiredObjectDeleteMarker: true },
          abortIncompleteMultipartUpload: abort,
        },
      ];
    case 'processed':
      return [
        {
          id: storage.processedToGlacierDays === null ? 'expire-processed' : 'archive-then-expire-processed',
          status: 'Enabled',
          filter: { prefix: PREFIXES.processed },
          ...(storage.processedToGlacierDays === null ? {} : { transitions: [{ days: storage.processedToGlacierDays, storageClass: 'GLACIER' as const }] }),
          expiration: { days: storage.processedExpireDays },
          abortIncompleteMultipartUpload: abort,
        },
      ];
    case 'results':
      return [{ id: 'abort-incomplete-uploads', status: 'Enabled', filter: {}, abortIncompleteMultipartUpload: abort }];
    case 'athena-results':
      return [
        {
          id: 'expire-query-results',
          status: 'Enabled',
          filter: { prefix: ATHENA_RESULTS_PREFIX },
          expiration: { days: storage.athenaResultsExpireDays },
          abortIncompleteMultipartUpload: abort,
        },
      ];
  }
}
