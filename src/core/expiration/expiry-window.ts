// ExpiryWindow: the in-memory part of expiry. It holds (id, due) only for leases due before
// `loadedUntil` (about now + windowMs), loads later minute buckets lazily as time advances, runs
// one timer for the earliest due entry, and hands due leases to `expire` in bounded batches that
// yield to the event loop. Leases that fell due while the server was sealed are swept from the
// older buckets in the background after start.

import type { Storage } from '../../sdk/index.js';
import type { Clock, Logger } from '../../shared/index.js';
import type { BackgroundTasks } from './background-tasks.js';
import { yieldToEventLoop } from './background-tasks.js';
import { createDueHeap } from './due-heap.js';
import type { DueHeap } from './due-heap.js';
import {
  BUCKETS,
  BUCKET_MS,
  HOUR_MS,
  hourFolder,
  hourOf,
  minuteFolder,
  minuteOf,
  numericFolders,
  parseBucketLeaf,
} from './storage-layout.js';

export interface ExpiryTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ExpiryWindowDeps {
  storage: Storage;
  clock: Clock;
  timers: ExpiryTimers;
  logger: Logger;
  windowMs: number;
  batchSize: number;
  tasks: BackgroundTasks;
  /** Acts on one due index entry; must not throw (it logs its own failures). */
  expire(id: string, due: number): Promise<void>;
}

export interface ExpiryWindow {
  /** Loads the buckets of the next window, arms the timer, starts the overdue sweep. */
  start(): Promise<void>;
  /** Clears the timer and forgets everything in memory; work in flight stops at its next step. */
  stop(): void;
  /** Records that `id` is next due at `due` (replacing what was known); ignored while stopped. */
  track(id: string, due: number): void;
  untrack(id: string): void;
}

// setTimeout's limit; a longer wait simply re-arms.
const MAX_DELAY = 2 ** 31 - 1;
// Below this many minutes a range is loaded minute by minute; above, via the hour folders.
const DIRECT_MINUTES = 32;
// Index entries parsed into memory between two yields to the event loop.
const PARSE_CHUNK = 4096;

interface State {
  due: Map<string, number>;
  heap: DueHeap;
  /** Every bucket starting before this instant has been (or is being) loaded into memory. */
  loadedUntil: number;
  timer: unknown;
  timerAt: number;
  running: boolean;
  rerun: boolean;
  /** After a storage failure, no new attempt before this instant. */
  backoffUntil: number;
  sweepTimer: unknown;
}

// Pause after a storage failure before loading buckets or sweeping again.
const FAILURE_PAUSE_MS = 5_000;

export function createExpiryWindow(deps: ExpiryWindowDeps): ExpiryWindow {
  const { storage, clock, timers, logger, windowMs, batchSize, tasks } = deps;
  let st: State | undefined;

  const remember = (s: State, id: string, due: number): void => {
    if (s.due.get(id) === due) return;
    s.due.set(id, due);
    s.heap.push(due, id);
    // Superseded heap entries are dropped lazily; rebuild when they dominate.
    if (s.heap.size > 2 * s.due.size + 4096) {
      s.heap.clear();
      for (const [i, d] of s.due) s.heap.push(d, i);
    }
  };

  const schedule = (s: State): void => {
    if (st !== s || s.running) return;
    let top = s.heap.peek();
    while (top && s.due.get(top.id) !== top.due) {
      s.heap.pop();
      top = s.heap.peek();
    }
    const next = Math.max(Math.min(top?.due ?? Infinity, s.loadedUntil - windowMs), s.backoffUntil);
    if (s.timer !== undefined) {
      if (s.timerAt === next) return;
      timers.clearTimeout(s.timer);
    }
    s.timerAt = next;
    const delay = Math.min(Math.max(0, next - clock.now()), MAX_DELAY);
    s.timer = timers.setTimeout(() => {
      s.timer = undefined;
      s.timerAt = Infinity;
      kick(s);
    }, delay);
  };

  const kick = (s: State): void => {
    if (st !== s) return;
    if (s.running) {
      s.rerun = true;
      return;
    }
    s.running = true;
    const run = async (): Promise<void> => {
      try {
        do {
          s.rerun = false;
          await advance(s);
          await drain(s);
        } while (s.rerun && st === s);
      } catch (e) {
        s.backoffUntil = clock.now() + FAILURE_PAUSE_MS;
        throw e;
      } finally {
        s.running = false;
        schedule(s);
      }
    };
    tasks.add(run(), 'lease expiry');
  };

  const loadMinute = async (s: State, minute: number): Promise<void> => {
    const leaves = await storage.list(minuteFolder(minute));
    for (let i = 0; i < leaves.length; i++) {
      if (st !== s) return;
      const e = parseBucketLeaf(leaves[i]!);
      // An id already in memory was tracked by a register/renew after this listing began: newer.
      if (e && !s.due.has(e.id)) remember(s, e.id, e.due);
      // A crowded minute must not hold the event loop.
      if ((i + 1) % PARSE_CHUNK === 0) await yieldToEventLoop();
    }
  };

  /** Loads minute buckets in [from, to) (both multiples of BUCKET_MS). */
  const loadRange = async (s: State, from: number, to: number): Promise<void> => {
    const first = minuteOf(from);
    const last = minuteOf(to) - 1;
    if (last - first < DIRECT_MINUTES) {
      for (let m = first; m <= last && st === s; m++) await loadMinute(s, m);
      return;
    }
    // A long jump (catch-up after a pause): visit only hours and minutes that exist.
    const hours = numericFolders(await storage.list(BUCKETS)).filter((h) => h >= hourOf(from) && h <= hourOf(to - 1));
    for (const h of hours) {
      if (st !== s) return;
      const minutes = numericFolders(await storage.list(hourFolder(h))).filter((m) => m >= first && m <= last);
      for (const m of minutes) {
        if (st !== s) return;
        await loadMinute(s, m);
      }
    }
  };

  const advance = async (s: State): Promise<void> => {
    const target = clock.now() + windowMs;
    if (s.loadedUntil > target) return;
    const from = s.loadedUntil;
    // Raised before listing, so a lease registered meanwhile in these buckets is tracked directly.
    s.loadedUntil = (minuteOf(target) + 1) * BUCKET_MS;
    try {
      await loadRange(s, from, s.loadedUntil);
    } catch (e) {
      // Load the range again later; entries already in memory are kept and not duplicated.
      s.loadedUntil = from;
      throw e;
    }
  };

  const drain = async (s: State): Promise<void> => {
    while (st === s) {
      const now = clock.now();
      const batch: { id: string; due: number }[] = [];
      let popped = 0;
      while (batch.length < batchSize && popped < 4 * batchSize) {
        const top = s.heap.peek();
        if (!top || top.due > now) break;
        s.heap.pop();
        popped++;
        if (s.due.get(top.id) !== top.due) continue;
        s.due.delete(top.id);
        batch.push(top);
      }
      if (popped === 0) return;
      await Promise.all(batch.map((e) => deps.expire(e.id, e.due)));
      await yieldToEventLoop();
    }
  };

  /** Expires every index entry in buckets before `boundary`, bucket by bucket, in batches. */
  const sweepOverdue = async (s: State, boundary: number): Promise<void> => {
    let swept = 0;
    const hours = numericFolders(await storage.list(BUCKETS)).filter((h) => h * HOUR_MS < boundary);
    for (const h of hours) {
      if (st !== s) return;
      const minutes = numericFolders(await storage.list(hourFolder(h))).filter((m) => m * BUCKET_MS < boundary);
      for (const m of minutes) {
        if (st !== s) return;
        const leaves = await storage.list(minuteFolder(m));
        for (let i = 0; i < leaves.length && st === s; i += batchSize) {
          const batch: { id: string; due: number }[] = [];
          for (const leaf of leaves.slice(i, i + batchSize)) {
            const e = parseBucketLeaf(leaf);
            if (e) batch.push(e);
          }
          await Promise.all(batch.map((e) => deps.expire(e.id, e.due)));
          swept += batch.length;
          await yieldToEventLoop();
        }
      }
    }
    if (swept > 0) logger.info({ leases: swept }, 'processed leases that expired while sealed');
  };

  return {
    async start() {
      if (st) return;
      const boundary = minuteOf(clock.now()) * BUCKET_MS;
      const s: State = {
        due: new Map(),
        heap: createDueHeap(),
        loadedUntil: boundary,
        timer: undefined,
        timerAt: Infinity,
        running: false,
        rerun: false,
        backoffUntil: 0,
        sweepTimer: undefined,
      };
      st = s;
      try {
        await advance(s);
      } catch (e) {
        st = undefined;
        throw e;
      }
      kick(s);
      const sweep = (): void => {
        s.sweepTimer = undefined;
        const run = sweepOverdue(s, boundary).catch((e: unknown) => {
          // Entries already handled are gone from the index, so a retry resumes where this stopped.
          if (st === s) s.sweepTimer = timers.setTimeout(sweep, FAILURE_PAUSE_MS);
          throw e;
        });
        tasks.add(run, 'overdue lease sweep');
      };
      sweep();
    },
    stop() {
      const s = st;
      if (!s) return;
      st = undefined;
      if (s.timer !== undefined) timers.clearTimeout(s.timer);
      if (s.sweepTimer !== undefined) timers.clearTimeout(s.sweepTimer);
      s.timer = undefined;
      s.sweepTimer = undefined;
      s.due.clear();
      s.heap.clear();
    },
    track(id, due) {
      const s = st;
      if (!s) return;
      if (due >= s.loadedUntil) {
        s.due.delete(id);
        return;
      }
      remember(s, id, due);
      if (due < s.timerAt) schedule(s);
    },
    untrack(id) {
      st?.due.delete(id);
    },
  };
}
