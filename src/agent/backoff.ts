// Exponential backoff between retries: starts at `min`, doubles up to `max`, resets on success.
// Vault Agent's auto-auth uses min_backoff (1 s) and max_backoff (5 m); jitter keeps clients apart.

export interface Backoff {
  /** The delay in ms to wait before the next attempt; each call doubles the following one. */
  next(): number;
  reset(): void;
  /** Attempts failed since the last reset. */
  readonly failures: number;
}

/** `random` returns [0,1); the delay is reduced by up to 25 % of itself for jitter (never below min/2). */
export function createBackoff(minMs: number, maxMs: number, random: () => number = Math.random): Backoff {
  const lo = Math.max(1, minMs);
  const hi = Math.max(lo, maxMs);
  let current = lo;
  let failures = 0;
  return {
    next() {
      failures++;
      const base = current;
      current = Math.min(hi, current * 2);
      return Math.round(base * (1 - 0.25 * random()));
    },
    reset() {
      current = lo;
      failures = 0;
    },
    get failures() {
      return failures;
    },
  };
}
