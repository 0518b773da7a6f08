// Decides when a template dependency is refreshed (consul-template's rules as Vault Agent uses
// them): renewable leases are renewed at ~2/3 of their TTL, what cannot be extended is re-fetched
// at 85–90 % of what is left, non-leased values are re-read every static_secret_render_interval.

import { refetchDelayMs, renewDelayMs } from '../lease-timing.js';

export interface LeaseFacts {
  kind: 'read' | 'write' | 'list';
  leaseId: string;
  /** Seconds, as the response (or the last renewal) said. */
  leaseDurationSeconds: number;
  renewable: boolean;
  /** The response created a token (`auth`): it is renewed with renew-self, without a lease id. */
  tokenLease?: boolean;
  /** `data.rotation_period` and `data.ttl` of static database roles (re-read at ttl + 1 s). */
  rotationTtlSeconds?: number;
  /** Set after a renewal: the increment that was asked for. */
  requestedIncrementSeconds?: number;
}

export interface RefreshSettings {
  staticIntervalMs: number;
  /** lease_renewal_threshold, default 0.9. */
  threshold: number;
}

export type RefreshPlan = { action: 'renew'; delayMs: number; incrementSeconds: number } | { action: 'refetch'; delayMs: number; reason: string };

/** The next refresh of one dependency. Pure; `random` in [0,1) supplies jitter. */
export function planRefresh(f: LeaseFacts, s: RefreshSettings, random: () => number): RefreshPlan {
  if (f.kind === 'list') return { action: 'refetch', delayMs: s.staticIntervalMs, reason: 'list' };
  if (f.rotationTtlSeconds !== undefined && f.rotationTtlSeconds > 0) {
    return { action: 'refetch', delayMs: (f.rotationTtlSeconds + 1) * 1000, reason: 'rotating secret' };
  }
  if (f.leaseDurationSeconds <= 0) {
    return { action: 'refetch', delayMs: s.staticIntervalMs, reason: 'static secret' };
  }
  const increment = f.requestedIncrementSeconds;
  if (f.renewable && (f.leaseId !== '' || f.tokenLease === true)) {
    // After a renewal the lease must have grown back to what was asked (1 s slack for clocks);
    // otherwise its max TTL is near and only a new secret helps.
    if (increment === undefined || f.leaseDurationSeconds + 1 >= increment) {
      return { action: 'renew', delayMs: renewDelayMs(f.leaseDurationSeconds, random), incrementSeconds: increment ?? f.leaseDurationSeconds };
    }
    return { action: 'refetch', delayMs: refetchDelayMs(f.leaseDurationSeconds, random, s.threshold), reason: 'lease cannot be extended' };
  }
  return { action: 'refetch', delayMs: refetchDelayMs(f.leaseDurationSeconds, random, s.threshold), reason: 'non-renewable lease' };
}
