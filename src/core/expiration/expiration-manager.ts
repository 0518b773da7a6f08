// ExpirationManager: owns every lease (dynamic secrets and tokens): persists records and their
// indexes (layout in storage-layout.ts), renews and revokes them, and revokes them when they
// expire, retrying with exponential backoff until they are marked irrevocable. Memory holds only
// the current expiry window (expiry-window.ts), so millions of stored leases cost nothing resident.

import { getJson, putJson } from '../../sdk/index.js';
import type { Storage } from '../../sdk/index.js';
import { CofferError, createKeyedMutex, secureRandomBytes } from '../../shared/index.js';
import type { Clock, Logger } from '../../shared/index.js';
import { createBackgroundTasks, yieldToEventLoop } from './background-tasks.js';
import { createExpiryWindow } from './expiry-window.js';
import type { ExpiryTimers } from './expiry-window.js';
import { chunked, inBatches, walkLeaves } from './batching.js';
import { createLeaseCounter } from './lease-counter.js';
import { tidyLeases } from './tidy-leases.js';
import type { TidyReport } from './tidy-leases.js';
import { dueTime, parseLeaseRecord } from './lease-record.js';
import type { LeaseRecord } from './lease-record.js';
import {
  IRREVOCABLE,
  RECORDS,
  bucketKey,
  irrevocableKey,
  isValidLeaseId,
  recordKey,
  tokenFolder,
  tokenKey,
  unescapeSegment,
} from './storage-layout.js';

export interface ExpirationManagerDeps {
  /** The manager's own barrier view (e.g. `sys/expire/`). */
  storage: Storage;
  clock: Clock;
  logger: Logger;
  /** Injectable for tests; default: global timers, unref'd so they never keep the process alive. */
  timers?: ExpiryTimers;
  /** Calls the engine's revoke handler (or revokes the token). May throw. Must not call back into
   * this manager for the same lease id (the manager holds that lease's lock while calling). */
  revoke(lease: LeaseRecord): Promise<void>;
  /** Calls the engine's renew handler with the increment (seconds) already capped by max TTL. */
  renew(lease: LeaseRecord, increment: number): Promise<{ ttl: number; data?: Record<string, unknown> }>;
  /** Automatic revocation retries: delay = min(baseMs·2^(n-1), maxMs) after the n-th failure;
   * after maxAttempts failures the lease is marked irrevocable (and retried every maxMs). Default 1 s, 5 min, 8. */
  backoff?: { baseMs: number; maxMs: number; maxAttempts: number };
  /** How far ahead due leases are held in memory. Default 10 minutes. */
  windowMs?: number;
  /** Leases revoked concurrently per batch before yielding to the event loop. Default 64. */
  batchSize?: number;
}

/** What register() takes: the lease terms; id, times and revocation state are the manager's. */
export type RegisterLeaseInput = Omit<
  LeaseRecord,
  'id' | 'issueTime' | 'expireTime' | 'lastRenewal' | 'revokeAttempts' | 'retryAt' | 'irrevocable'
> & {
  /** The request path; the lease id is `<idPrefix>/<random>`. */
  idPrefix: string;
};

export interface ExpirationManager {
  /** After unseal: loads only the next window of expiry buckets and arms the timer. Leases that
   * expired while sealed are revoked in the background in batches. Idempotent. */
  start(): Promise<void>;
  /** On seal: clears timers and drops memory. Work in flight stops at its next step. */
  stop(): void;
  /** Persists a new lease and schedules it. Throws when it could not be stored: the caller must
   * then revoke the secret it created (security invariant 6). */
  register(input: RegisterLeaseInput): Promise<LeaseRecord>;
  lookup(id: string): Promise<LeaseRecord | undefined>;
  /** One level of lease ids under `prefix` ('' or ending in '/'); folders end in '/'. */
  list(prefix: string): Promise<string[]>;
  /** Extends from now by incrementSeconds (0 = the lease's ttl), never past issueTime + maxTtl.
   * invalid_request: `invalid lease` (unknown), `lease is not renewable`, `lease expired`. */
  renew(id: string, incrementSeconds: number): Promise<LeaseRecord>;
  /** Revokes through deps.revoke, then deletes the lease. With force the lease is deleted even if
   * deps.revoke fails. invalid_request `invalid lease` when unknown. */
  revoke(id: string, opts?: { force?: boolean }): Promise<void>;
  /** Revokes every lease under a path prefix (or the one lease whose id equals it). Without force
   * a failure leaves that lease in place and, after trying all, throws invalid_request. */
  revokePrefix(prefix: string, opts?: { force?: boolean }): Promise<{ revoked: number }>;
  /** Revokes every secret lease the token created (token leases are not indexed by token: the
   * token store revokes a token's own lease). A lease whose revocation fails is expired now and
   * handed to the retry/backoff path (`deferred`), so the token's revocation never blocks on it. */
  revokeByToken(tokenId: string): Promise<{ revoked: number; deferred: number }>;
  /** Removes dangling index entries, re-creates missing ones, recounts. O(leases): run it in the background. */
  tidy(): Promise<TidyReport>;
  /** Number of stored leases, O(1). */
  count(): Promise<number>;
  /** Leases whose automatic revocation gave up. */
  irrevocable(): Promise<LeaseRecord[]>;
  /** Resolves when no background expiry work is in flight (tests, measurements, graceful stop). */
  whenIdle(): Promise<void>;
}

const EMPTY = new Uint8Array(0);
const DEFAULT_BACKOFF = { baseMs: 1_000, maxMs: 300_000, maxAttempts: 8 };

const defaultTimers: ExpiryTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

const invalidLease = (): CofferError => new CofferError('invalid_request', 'invalid lease');
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).slice(0, 1024);

export function createExpirationManager(deps: ExpirationManagerDeps): ExpirationManager {
  const { storage, clock } = deps;
  const logger = deps.logger.child({ component: 'expiration' });
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const batchSize = Math.max(1, deps.batchSize ?? 64);
  const mutex = createKeyedMutex();
  const tasks = createBackgroundTasks(logger);
  const counter = createLeaseCounter(storage, logger);
  let started = false;

  const read = async (id: string): Promise<LeaseRecord | undefined> => {
    const v = await getJson(storage, recordKey(id));
    return v === undefined ? undefined : parseLeaseRecord(v);
  };
  const write = (rec: LeaseRecord): Promise<void> => putJson(storage, recordKey(rec.id), rec);

  /** Deletes the record first, then its index entries (see the write-order rule in storage-layout). */
  const remove = async (rec: LeaseRecord): Promise<void> => {
    await counter.ready();
    await storage.delete(recordKey(rec.id));
    counter.add(-1);
    expiryWindow.untrack(rec.id);
    const due = dueTime(rec);
    await Promise.all([
      due === undefined ? undefined : storage.delete(bucketKey(due, rec.id)),
      rec.irrevocable ? storage.delete(irrevocableKey(rec.id)) : undefined,
      rec.kind === 'secret' ? storage.delete(tokenKey(rec.tokenId, rec.id)) : undefined,
    ]);
  };

  /** Moves a lease from one due time to another: new index entry, record, then old entry. */
  const reindex = async (prev: LeaseRecord, next: LeaseRecord): Promise<void> => {
    const before = dueTime(prev);
    const after = dueTime(next);
    if (after !== undefined && after !== before) await storage.put(bucketKey(after, next.id), EMPTY);
    if (next.irrevocable && !prev.irrevocable) await storage.put(irrevocableKey(next.id), EMPTY);
    await write(next);
    if (before !== undefined && before !== after) await storage.delete(bucketKey(before, prev.id));
    if (after === undefined) expiryWindow.untrack(next.id);
    else expiryWindow.track(next.id, after);
  };

  /** A revocation failed: schedule a retry with backoff, or give up and mark it irrevocable. */
  const failed = async (rec: LeaseRecord, e: unknown, expireNow: boolean): Promise<'retry' | 'irrevocable'> => {
    const now = clock.now();
    const attempts = (rec.revokeAttempts ?? 0) + 1;
    const next: LeaseRecord = { ...rec, revokeAttempts: attempts };
    if (expireNow && next.expireTime > now) next.expireTime = now;
    const error = messageOf(e);
    if (attempts >= backoff.maxAttempts) {
      // Shown as irrevocable from now on, but still retried at the longest backoff, so a
      // database that comes back after a long outage still gets its users dropped.
      next.retryAt = now + backoff.maxMs;
      next.irrevocable = rec.irrevocable ? { error, since: rec.irrevocable.since } : { error, since: now };
      await reindex(rec, next);
      if (!rec.irrevocable) logger.error({ lease_id: rec.id, attempts, error }, 'lease is irrevocable: revocation keeps failing; retrying every max backoff');
      return 'irrevocable';
    }
    next.retryAt = now + Math.min(backoff.baseMs * 2 ** (attempts - 1), backoff.maxMs);
    await reindex(rec, next);
    logger.warn({ lease_id: rec.id, attempts, retry_at: next.retryAt, error }, 'lease revocation failed; will retry');
    return 'retry';
  };

  /** One due index entry fired (timer or overdue sweep). Runs under the lease's lock. */
  const expire = async (id: string, due: number): Promise<void> => {
    try {
      await mutex.run(id, async () => {
        const rec = await read(id);
        if (!rec || dueTime(rec) !== due) {
          // Revoked, renewed or rescheduled meanwhile: this entry is stale (or dangling).
          await storage.delete(bucketKey(due, id));
          return;
        }
        if (due > clock.now()) {
          expiryWindow.track(id, due);
          return;
        }
        try {
          await deps.revoke(rec);
        } catch (e) {
          await failed(rec, e, false);
          return;
        }
        await remove(rec);
      });
    } catch (e) {
      // Storage failed (e.g. sealed mid-way): the index entry is still there and is retried by the
      // next start() or tidy().
      logger.error({ lease_id: id, err: messageOf(e) }, 'lease expiry failed');
    }
  };

  const expiryWindow = createExpiryWindow({
    storage,
    clock,
    logger,
    timers: deps.timers ?? defaultTimers,
    windowMs: deps.windowMs ?? 600_000,
    batchSize,
    tasks,
    expire,
  });

  /** Calls deps.revoke and deletes the lease; with force, deletes it even when that fails. */
  const revokeRecord = async (rec: LeaseRecord, force: boolean): Promise<void> => {
    try {
      await deps.revoke(rec);
    } catch (e) {
      if (!force) {
        logger.warn({ lease_id: rec.id, err: messageOf(e) }, 'lease revocation failed');
        // The caller asked for the secret to go: keep trying in the background (with backoff)
        // rather than waiting for the lease's own expiry.
        await failed(rec, e, true);
        throw e instanceof CofferError ? e : new CofferError('internal', 'failed to revoke lease');
      }
      logger.warn({ lease_id: rec.id, err: messageOf(e) }, 'force-revoking lease despite a revocation error');
    }
    await remove(rec);
  };

  const revokeOne = async (id: string, opts?: { force?: boolean }): Promise<void> => {
    if (!isValidLeaseId(id)) throw invalidLease();
    await mutex.run(id, async () => {
      const rec = await read(id);
      if (!rec) throw invalidLease();
      await revokeRecord(rec, opts?.force === true);
    });
  };

  const checkPrefix = (prefix: string): void => {
    if (prefix !== '' && (!prefix.endsWith('/') || !isValidLeaseId(prefix.slice(0, -1)))) {
      throw new CofferError('invalid_request', 'invalid lease prefix');
    }
  };

  return {
    async start() {
      if (started) return;
      started = true;
      try {
        await counter.load();
        await expiryWindow.start();
      } catch (e) {
        started = false;
        throw e;
      }
    },

    stop() {
      started = false;
      expiryWindow.stop();
    },

    async register(input) {
      const { idPrefix, ...terms } = input;
      const ttl = input.maxTtl > 0 ? Math.min(input.ttl, input.maxTtl) : input.ttl;
      if (!Number.isFinite(ttl) || ttl < 0 || !Number.isFinite(input.maxTtl) || input.maxTtl < 0) {
        throw new CofferError('internal', 'lease has an invalid TTL');
      }
      const base = idPrefix.replace(/^\/+|\/+$/g, '');
      const id = (base === '' ? '' : base + '/') + secureRandomBytes(18).toString('base64url');
      if (!isValidLeaseId(id)) throw new CofferError('internal', 'lease has an invalid request path');
      const now = clock.now();
      const rec: LeaseRecord = {
        ...terms,
        id,
        issueTime: now,
        expireTime: now + Math.round(ttl * 1000),
        lastRenewal: null,
        ttl,
      };
      await counter.ready();
      await mutex.run(id, async () => {
        const keys = [bucketKey(rec.expireTime, id), ...(rec.kind === 'secret' ? [tokenKey(rec.tokenId, id)] : [])];
        try {
          // Queued in one turn, indexes before the record: group commit makes them one transaction
          // (one fsync), and if a batch boundary ever splits them the indexes still land first.
          await Promise.all([...keys.map((k) => storage.put(k, EMPTY)), write(rec)]);
        } catch (e) {
          await Promise.allSettled([...keys, recordKey(id)].map((k) => storage.delete(k)));
          logger.error({ path: rec.path, err: messageOf(e) }, 'failed to register lease');
          throw e instanceof CofferError ? e : new CofferError('internal', 'failed to register lease');
        }
        counter.add(1);
        expiryWindow.track(id, rec.expireTime);
      });
      return rec;
    },

    async lookup(id) {
      return isValidLeaseId(id) ? read(id) : undefined;
    },

    async list(prefix) {
      checkPrefix(prefix);
      return storage.list(RECORDS + prefix);
    },

    async renew(id, incrementSeconds) {
      if (!isValidLeaseId(id)) throw invalidLease();
      return mutex.run(id, async () => {
        const rec = await read(id);
        if (!rec) throw invalidLease();
        if (!rec.renewable) throw new CofferError('invalid_request', 'lease is not renewable');
        const now = clock.now();
        if (rec.irrevocable || rec.expireTime <= now) throw new CofferError('invalid_request', 'lease expired');
        const cap = rec.maxTtl > 0 ? rec.issueTime + rec.maxTtl * 1000 : Infinity;
        const wanted = incrementSeconds > 0 ? incrementSeconds : rec.ttl;
        const increment = Math.max(0, Math.min(wanted, Math.floor((cap - now) / 1000)));
        const res = await deps.renew(rec, increment);
        if (!Number.isFinite(res.ttl) || res.ttl < 0) throw new CofferError('internal', 'renew handler returned an invalid ttl');
        const expireTime = Math.min(now + Math.round(res.ttl * 1000), cap);
        const next: LeaseRecord = { ...rec, expireTime, ttl: Math.round((expireTime - now) / 1000), lastRenewal: now };
        if (res.data !== undefined) next.data = res.data;
        await reindex(rec, next);
        return next;
      });
    },

    revoke: revokeOne,

    async revokePrefix(rawPrefix, opts) {
      const force = opts?.force === true;
      let prefix = rawPrefix.replace(/^\/+/, '');
      if (prefix !== '' && !prefix.endsWith('/')) {
        if (isValidLeaseId(prefix) && (await read(prefix))) {
          await revokeOne(prefix, { force });
          return { revoked: 1 };
        }
        prefix += '/';
      }
      checkPrefix(prefix);
      let revoked = 0;
      let total = 0;
      let firstError: unknown;
      for await (const batch of chunked(walkLeaves(storage, RECORDS + prefix, prefix), batchSize)) {
        total += batch.length;
        const results = await inBatches(batch, batchSize, (id) =>
          mutex.run(id, async () => {
            const rec = await read(id);
            if (rec) await revokeRecord(rec, force);
            return rec !== undefined;
          }),
        );
        for (const r of results) {
          if (r.status === 'fulfilled') revoked += r.value ? 1 : 0;
          else firstError ??= r.reason;
        }
        await yieldToEventLoop();
      }
      if (firstError !== undefined) {
        throw new CofferError(
          'invalid_request',
          `failed to revoke ${total - revoked} of ${total} leases under prefix ${JSON.stringify(prefix)}: ${messageOf(firstError)}`,
        );
      }
      return { revoked };
    },

    async revokeByToken(tokenId) {
      const folder = tokenFolder(tokenId);
      const ids = (await storage.list(folder)).filter((l) => !l.endsWith('/')).map(unescapeSegment);
      const results = await inBatches(ids, batchSize, (id) =>
        mutex.run(id, async (): Promise<'revoked' | 'deferred' | 'none'> => {
          const rec = isValidLeaseId(id) ? await read(id) : undefined;
          if (!rec || rec.kind !== 'secret' || rec.tokenId !== tokenId) {
            await storage.delete(tokenKey(tokenId, id));
            return 'none';
          }
          try {
            await deps.revoke(rec);
          } catch (e) {
            await failed(rec, e, true);
            return 'deferred';
          }
          await remove(rec);
          return 'revoked';
        }),
      );
      let revoked = 0;
      let deferred = 0;
      for (const r of results) {
        if (r.status === 'rejected') throw r.reason instanceof CofferError ? r.reason : new CofferError('internal', 'failed to revoke leases of token');
        if (r.value === 'revoked') revoked++;
        if (r.value === 'deferred') deferred++;
      }
      return { revoked, deferred };
    },

    async tidy() {
      const report = await tidyLeases({ storage, mutex, batchSize, read, track: (id, due) => expiryWindow.track(id, due) });
      // Changes made during the pass may or may not have been seen; the recount is the best estimate.
      counter.set(report.leases);
      return report;
    },

    async count() {
      return started ? counter.value : counter.load();
    },

    async irrevocable() {
      const out: LeaseRecord[] = [];
      for (const leaf of await storage.list(IRREVOCABLE)) {
        const id = unescapeSegment(leaf);
        const rec = isValidLeaseId(id) ? await read(id) : undefined;
        if (rec?.irrevocable) out.push(rec);
      }
      return out;
    },

    async whenIdle() {
      await tasks.idle();
      await counter.flushed();
    },
  };
}
