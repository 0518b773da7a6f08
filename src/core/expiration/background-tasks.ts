// BackgroundTasks: keeps the promises of work started without a caller waiting on it (expiry
// drains, the overdue sweep), so failures are logged instead of floating and tests or shutdown
// can wait until everything in flight has settled.

import type { Logger } from '../../shared/index.js';

export interface BackgroundTasks {
  /** Tracks p; a rejection is logged with `what`, never thrown. */
  add(p: Promise<unknown>, what: string): void;
  /** Resolves when no tracked task is pending (including tasks started while waiting). */
  idle(): Promise<void>;
}

export function createBackgroundTasks(logger: Logger): BackgroundTasks {
  const pending = new Set<Promise<unknown>>();
  return {
    add(p, what) {
      const settled = p.then(
        () => undefined,
        (e: unknown) => logger.error({ err: e instanceof Error ? e.message : String(e) }, `${what} failed`),
      );
      pending.add(settled);
      void settled.finally(() => pending.delete(settled));
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** Lets timers, I/O callbacks and requests run between two batches of expiry work. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
