// TTL arithmetic for issuing and renewing tokens: defaults, the effective max (mount max, the
// auth method's max, explicit_max_ttl) measured from creation, and periods.

import { CofferError, formatGoDuration } from '../../shared/index.js';

export interface TtlInput {
  /** seconds; 0 = use the default (or, on renewal, the token's original TTL) */
  requested: number;
  /** seconds; > 0 makes the token periodic */
  period: number;
  /** seconds; 0 = none */
  explicitMaxTtl: number;
  /** seconds; the effective max before explicit_max_ttl (mount or auth-method max) */
  maxTtl: number;
  /** seconds */
  defaultTtl: number;
  /** ms: when the token was created (max TTLs count from here) */
  startMs: number;
  /** ms */
  nowMs: number;
}

/**
 * The TTL to grant, with a warning when it was capped. Periodic tokens get their period (capped
 * by the max TTL and by what explicit_max_ttl leaves); others get the requested or default TTL,
 * never past creation + max. Throws invalid_request when nothing is left ("past the max TTL").
 */
export function calculateTtl(i: TtlInput): { ttl: number; warnings: string[] } {
  const warnings: string[] = [];
  let max = i.maxTtl;
  if (i.explicitMaxTtl > 0 && (max <= 0 || i.explicitMaxTtl < max)) max = i.explicitMaxTtl;
  if (i.period > 0) {
    let ttl = i.period;
    if (max > 0 && ttl > max) {
      warnings.push(`period of "${formatGoDuration(ttl)}" exceeded the effective max_ttl of "${formatGoDuration(max)}"; period value is capped accordingly`);
      ttl = max;
    }
    if (i.explicitMaxTtl > 0) {
      const left = Math.floor((i.startMs + i.explicitMaxTtl * 1000 - i.nowMs) / 1000);
      if (left <= 0) throw new CofferError('invalid_request', 'past the max TTL, cannot renew');
      if (left < ttl) ttl = left;
    }
    return { ttl, warnings };
  }
  let ttl = i.requested > 0 ? i.requested : i.defaultTtl;
  if (max > 0) {
    const left = Math.floor((i.startMs + max * 1000 - i.nowMs) / 1000);
    if (left <= 0) throw new CofferError('invalid_request', 'past the max TTL, cannot renew');
    if (ttl <= 0 || left < ttl) {
      if (ttl > 0) warnings.push(`TTL of "${formatGoDuration(ttl)}" exceeded the effective max_ttl of "${formatGoDuration(left)}"; TTL value is capped accordingly`);
      ttl = left;
    }
  }
  return { ttl, warnings };
}
