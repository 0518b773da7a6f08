// Token tidy: removes dangling accessor and parent indexes and finishes off tokens that are
// expired, used up, half-revoked (a crash mid-revocation) or whose parent no longer exists.

import type { Storage } from '../../sdk/index.js';
import { getJson } from '../../sdk/index.js';
import type { Clock, Logger } from '../../shared/index.js';
import { parseStoredToken } from './token-entry.js';
import type { TokenRecords } from './token-records.js';

export interface TidyReport {
  scanned: number;
  revoked: number;
  indexesRemoved: number;
}

/** One full pass over the store's view; revocation failures are logged and left for the next pass. */
export async function tidyTokens(records: TokenRecords, storage: Storage, clock: Clock, logger: Logger): Promise<TidyReport> {
  const report: TidyReport = { scanned: 0, revoked: 0, indexesRemoved: 0 };
  for (const key of await storage.list('accessor/')) {
    if (key.endsWith('/')) continue;
    const v = await getJson(storage, `accessor/${key}`);
    const idHash = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)['idHash'] : undefined;
    if (typeof idHash !== 'string' || (await storage.get(`id/${idHash}`)) === undefined) {
      await storage.delete(`accessor/${key}`);
      report.indexesRemoved++;
    }
  }
  for (const key of await storage.list('id/')) {
    if (key.endsWith('/')) continue;
    report.scanned++;
    const s = parseStoredToken(await getJson(storage, `id/${key}`));
    if (!s) continue;
    const expired = s.expireTime !== 0 && clock.now() >= s.expireTime;
    const parentGone = s.parent !== '' && (await storage.get(`id/${s.parent}`)) === undefined;
    if (s.status === 'active' && !expired && !parentGone) continue;
    try {
      report.revoked += await records.revokeTree(s.idHash);
    } catch (e) {
      logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'tidy: revoking a token failed');
    }
  }
  for (const parentKey of await storage.list('parent/')) {
    const parent = parentKey.replace(/\/$/, '');
    for (const child of await records.children(parent)) {
      if ((await storage.get(`id/${child}`)) === undefined) {
        await storage.delete(`parent/${parent}/${child}`);
        report.indexesRemoved++;
      }
    }
  }
  logger.info({ ...report }, 'token tidy finished');
  return report;
}
