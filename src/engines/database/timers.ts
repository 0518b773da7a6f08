// Timers the engine schedules work on (static-role rotations, write-ahead rollbacks): injectable
// so tests fire them deterministically. The default uses unref'd setTimeout.

export interface TimerHandle {
  cancel(): void;
}

export interface EngineTimers {
  /** Runs `fn` after `delayMs` (0 = soon). `label` names the work (e.g. "rotate:app", "rollback"). */
  set(fn: () => Promise<void>, delayMs: number, label: string): TimerHandle;
}

/** Node's setTimeout caps delays at 2^31-1 ms; longer waits fire early and are re-checked. */
const MAX_DELAY = 2 ** 31 - 1;

export const systemTimers: EngineTimers = {
  set(fn, delayMs) {
    const t = setTimeout(() => void fn().catch(() => undefined), Math.min(Math.max(0, delayMs), MAX_DELAY));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

export interface ScheduledTimer {
  label: string;
  delayMs: number;
}

/** Timers that fire only when a test says so. */
export interface ManualTimers extends EngineTimers {
  /** The timers set and not yet fired or cancelled, oldest first. */
  pending(): ScheduledTimer[];
  /** Fires every pending timer whose label matches (exactly, or by prefix ending in ':'), awaiting each. */
  fire(label: string): Promise<number>;
}

export function createManualTimers(): ManualTimers {
  let seq = 0;
  const live = new Map<number, { label: string; delayMs: number; fn: () => Promise<void> }>();
  return {
    set(fn, delayMs, label) {
      const id = ++seq;
      live.set(id, { label, delayMs, fn });
      return { cancel: () => live.delete(id) };
    },
    pending: () => [...live.values()].map(({ label, delayMs }) => ({ label, delayMs })),
    async fire(label) {
      const due = [...live.entries()].filter(([, t]) => t.label === label || (label.endsWith(':') && t.label.startsWith(label)));
      for (const [id, t] of due) {
        live.delete(id);
        await t.fn();
      }
      return due.length;
    },
  };
}
