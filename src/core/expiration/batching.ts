// Bounded-batch helpers: work over many leases runs a batch at a time and yields to the event
// loop between batches, so revoking or tidying a million leases never stalls request handling.

import type { Storage } from '../../sdk/index.js';
import { yieldToEventLoop } from './background-tasks.js';

/** Runs fn over items, `size` at a time concurrently, yielding between batches. Never rejects. */
export async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  fn: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const out: PromiseSettledResult<R>[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.allSettled(items.slice(i, i + size).map(fn))));
    if (i + size < items.length) await yieldToEventLoop();
  }
  return out;
}

/** Every leaf key below `folder` (depth first, one folder listed at a time), as `rel` + its path below `folder`. */
export async function* walkLeaves(storage: Storage, folder: string, rel: string): AsyncGenerator<string> {
  for (const child of await storage.list(folder)) {
    if (child.endsWith('/')) yield* walkLeaves(storage, folder + child, rel + child);
    else yield rel + child;
  }
}

/** Groups a stream into arrays of at most `size`. */
export async function* chunked<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
