/**
 * Runs `task` over `items` with at most `limit` in flight. After a failure no new task starts, and
 * the call rejects with the first error only once the tasks in flight have settled, so nothing keeps
 * writing to the store behind the caller's back.
 */
export async function mapLimit<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        await task(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}
