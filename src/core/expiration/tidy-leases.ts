// tidy: the O(leases) repair pass. Drops index entries that point at no record (or at a record
// that moved on), re-creates index entries a record lacks (a crash between writes), and recounts.

import type { Storage } from '../../sdk/index.js';
import { CofferError } from '../../shared/index.js';
import type { KeyedMutex } from '../../shared/index.js';
import { chunked, inBatches, walkLeaves } from './batching.js';
import { dueTime } from './lease-record.js';
import type { LeaseRecord } from './lease-record.js';
import {
  BUCKETS,
  BY_TOKEN,
  IRREVOCABLE,
  RECORDS,
  bucketKey,
  hourFolder,
  irrevocableKey,
  isValidLeaseId,
  minuteFolder,
  numericFolders,
  parseBucketLeaf,
  tokenKey,
  unescapeSegment,
} from './storage-layout.js';

export interface TidyReport {
  /** Index entries pointing at no record, or at a record that no longer matches. */
  removed: number;
  /** Index entries a record needed and did not have (re-created). */
  repaired: number;
  /** Lease records found. */
  leases: number;
}

export interface TidyDeps {
  storage: Storage;
  mutex: KeyedMutex;
  batchSize: number;
  read: (id: string) => Promise<LeaseRecord | undefined>;
  /** Told the due time of every live record, so a repaired entry is also scheduled. */
  track: (id: string, due: number) => void;
}

const EMPTY = new Uint8Array(0);

/** Every check runs under the lease's lock, so it never races a register, renew or revoke.
 * Throws internal after the whole pass when some entries could not be checked. */
export async function tidyLeases(deps: TidyDeps): Promise<TidyReport> {
  const { storage, mutex, batchSize, read } = deps;
  const report: TidyReport = { removed: 0, repaired: 0, leases: 0 };
  let failures = 0;
  const tally = (results: PromiseSettledResult<unknown>[]): void => {
    failures += results.filter((r) => r.status === 'rejected').length;
  };
  const drop = async (key: string): Promise<void> => {
    await storage.delete(key);
    report.removed++;
  };
  const readSafe = (id: string): Promise<LeaseRecord | undefined> =>
    isValidLeaseId(id) ? read(id) : Promise.resolve(undefined);

  // Expiry index: an entry must name a record whose due time it carries.
  for (const h of numericFolders(await storage.list(BUCKETS))) {
    for (const m of numericFolders(await storage.list(hourFolder(h)))) {
      const folder = minuteFolder(m);
      tally(
        await inBatches(await storage.list(folder), batchSize, async (leaf) => {
          const e = parseBucketLeaf(leaf);
          if (!e) return drop(folder + leaf);
          return mutex.run(e.id, async () => {
            const rec = await read(e.id);
            if (!rec || dueTime(rec) !== e.due) await drop(folder + leaf);
          });
        }),
      );
    }
  }
  // Token index: an entry must name a secret lease created by that token.
  for (const t of await storage.list(BY_TOKEN)) {
    if (!t.endsWith('/')) continue;
    const tokenId = unescapeSegment(t.slice(0, -1));
    tally(
      await inBatches(await storage.list(BY_TOKEN + t), batchSize, (leaf) => {
        const id = unescapeSegment(leaf);
        return mutex.run(id, async () => {
          const rec = await readSafe(id);
          if (!rec || rec.kind !== 'secret' || rec.tokenId !== tokenId) await drop(BY_TOKEN + t + leaf);
        });
      }),
    );
  }
  // Irrevocable index: an entry must name an irrevocable record.
  tally(
    await inBatches(await storage.list(IRREVOCABLE), batchSize, (leaf) => {
      const id = unescapeSegment(leaf);
      return mutex.run(id, async () => {
        if (!(await readSafe(id))?.irrevocable) await drop(IRREVOCABLE + leaf);
      });
    }),
  );
  // Records: each must have its index entries.
  const ensure = async (key: string): Promise<void> => {
    if ((await storage.get(key)) === undefined) {
      await storage.put(key, EMPTY);
      report.repaired++;
    }
  };
  for await (const batch of chunked(walkLeaves(storage, RECORDS, ''), batchSize)) {
    tally(
      await inBatches(batch, batchSize, (id) =>
        mutex.run(id, async () => {
          const rec = await read(id);
          if (!rec) return;
          report.leases++;
          const due = dueTime(rec);
          if (due !== undefined) {
            await ensure(bucketKey(due, id));
            deps.track(id, due);
          }
          if (rec.irrevocable) await ensure(irrevocableKey(id));
          if (rec.kind === 'secret') await ensure(tokenKey(rec.tokenId, id));
        }),
      ),
    );
  }
  if (failures > 0) throw new CofferError('internal', `lease tidy could not check ${failures} entries`);
  return report;
}
