/**
 * A put that survives a flaky store: exponential backoff between tries, and after the last one a
 * failure reported as a value (the runner counts the file's events as lost), never thrown away.
 */
import type { Clock } from './clock';
import type { ObjectSink } from './run';

export interface RetryPolicy {
  /** Tries per file, the first included. */
  readonly attempts: number;
  /** Wait before the second try; doubled for each further one. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 200, maxDelayMs: 10_000 };

/** Puts with exponential backoff; returns the last error's message if every try failed. */
export async function putWithRetry(
  store: ObjectSink,
  key: string,
  body: Buffer,
  contentType: string,
  retry: RetryPolicy,
  clock: Clock,
): Promise<string | undefined> {
  let delay = retry.firstDelayMs;
  let lastError = '';
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    try {
      await store.put(key, body, { contentType });
      return undefined;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      if (attempt < retry.attempts) {
        await clock.sleep(delay);
        delay = Math.min(retry.maxDelayMs, delay * 2);
      }
    }
  }
  return `${retry.attempts} tries failed; last error: ${lastError}`;
}
