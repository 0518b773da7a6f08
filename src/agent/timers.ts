// Timers: the agent's only way to wait, injectable so scheduling logic runs under test without
// sleeping. createFakeTimers drives a ManualClock and fires due callbacks in time order.

import type { ManualClock } from '../shared/index.js';
import { createManualClock } from '../shared/index.js';

export interface TimerHandle {
  readonly id: number;
}

export interface Timers {
  /** Calls `fn` once after `ms` milliseconds (never synchronously). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Timers backed by the global setTimeout (they keep the process alive, as the agent should be). */
export function createSystemTimers(): Timers {
  const live = new Map<number, NodeJS.Timeout>();
  let next = 1;
  return {
    setTimeout(fn, ms) {
      const id = next++;
      // Node caps delays at 2^31-1 ms; longer waits are chained.
      const max = 2_147_483_647;
      const arm = (left: number): void => {
        const t = setTimeout(() => {
          if (left > max) return arm(left - max);
          live.delete(id);
          fn();
        }, Math.min(Math.max(0, left), max));
        live.set(id, t);
      };
      arm(ms);
      return { id };
    },
    clearTimeout(h) {
      const t = live.get(h.id);
      if (t !== undefined) clearTimeout(t);
      live.delete(h.id);
    },
  };
}

export interface FakeTimers extends Timers {
  readonly clock: ManualClock;
  /** Pending timers as [dueAtMs, id], soonest first. */
  pending(): { due: number; id: number }[];
  /** Delay from now to the soonest pending timer, or undefined when none. */
  nextDelay(): number | undefined;
  /**
   * Moves the clock forward by `ms`, firing every timer that falls due (in due order), letting
   * promise callbacks settle after each one so chained async work can arm follow-up timers.
   */
  advance(ms: number): Promise<void>;
  /** Advances to the soonest pending timer and fires it; false when nothing is pending. */
  runNext(): Promise<boolean>;
}

/** Lets queued promise jobs (and one macrotask turn) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

export function createFakeTimers(clock: ManualClock = createManualClock()): FakeTimers {
  const queue = new Map<number, { due: number; fn: () => void; seq: number }>();
  let next = 1;
  const soonest = (): [number, { due: number; fn: () => void; seq: number }] | undefined => {
    let best: [number, { due: number; fn: () => void; seq: number }] | undefined;
    for (const e of queue) if (best === undefined || e[1].due < best[1].due || (e[1].due === best[1].due && e[1].seq < best[1].seq)) best = e;
    return best;
  };
  const fire = async (id: number, entry: { due: number; fn: () => void }): Promise<void> => {
    queue.delete(id);
    if (clock.now() < entry.due) clock.set(entry.due);
    entry.fn();
    await settle();
  };
  return {
    clock,
    setTimeout(fn, ms) {
      const id = next++;
      queue.set(id, { due: clock.now() + Math.max(0, ms), fn, seq: id });
      return { id };
    },
    clearTimeout(h) {
      queue.delete(h.id);
    },
    pending() {
      return [...queue.entries()].map(([id, e]) => ({ due: e.due, id })).sort((a, b) => a.due - b.due);
    },
    nextDelay() {
      const s = soonest();
      return s === undefined ? undefined : s[1].due - clock.now();
    },
    async advance(ms) {
      const target = clock.now() + ms;
      for (;;) {
        const s = soonest();
        if (s === undefined || s[1].due > target) break;
        await fire(s[0], s[1]);
      }
      clock.set(target);
      await settle();
    },
    async runNext() {
      const s = soonest();
      if (s === undefined) return false;
      await fire(s[0], s[1]);
      return true;
    },
  };
}

/** Resolves after `ms` on `timers`, or at once when `signal` aborts. */
export function sleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const h = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      timers.clearTimeout(h);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
