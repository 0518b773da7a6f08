// When to renew and when to re-fetch, shared by the auth loop and the template runner:
// renew at ~2/3 of what is left; re-fetch what cannot be extended at 85–90 % of what is left.

/** Delay before renewing a renewable lease (or token) with `ttlSeconds` left: 2/3 of it, ±5 % jitter. */
export function renewDelayMs(ttlSeconds: number, random: () => number): number {
  return Math.max(0, Math.round(ttlSeconds * 1000 * (2 / 3) * (0.95 + 0.1 * random())));
}

/** What re-fetching keeps in hand at least: Vault reports whole seconds, and the new secret takes a moment to create and write. */
export const MIN_REFETCH_MARGIN_MS = 2000;

/**
 * Delay before re-fetching something that cannot be extended, with `ttlSeconds` left:
 * `threshold` (default 0.9) minus up to 5 % jitter of it — so 85–90 % by default — and never
 * later than MIN_REFETCH_MARGIN_MS before the end, so the replacement is in place before the
 * old one expires even for leases of a few seconds.
 */
export function refetchDelayMs(ttlSeconds: number, random: () => number, threshold = 0.9): number {
  const fraction = Math.min(0.95, Math.max(0.1, threshold - 0.05 * random()));
  const ms = ttlSeconds * 1000;
  return Math.max(0, Math.round(Math.min(ms * fraction, ms - MIN_REFETCH_MARGIN_MS)));
}
