// LeaseRecord: the persisted shape of one lease, its parser (storage JSON enters as unknown) and
// the one rule that says when the manager must next act on a lease.

import { CofferError } from '../../shared/index.js';

export type LeaseKind = 'secret' | 'token';

export interface LeaseRecord {
  /** `<request path>/<random url-safe id>`. */
  id: string;
  path: string;
  kind: LeaseKind;
  mountAccessor?: string;
  secretType?: string;
  /** Engine data needed to revoke or renew (never returned to clients). */
  internal?: Record<string, unknown>;
  data?: Record<string, unknown>;
  /** Salted hash of the creating token; indexes secret leases for revoke-by-token. */
  tokenId: string;
  /** Milliseconds since the epoch. */
  issueTime: number;
  expireTime: number;
  lastRenewal: number | null;
  renewable: boolean;
  /** Seconds granted by the last issue or renewal. */
  ttl: number;
  /** Seconds from issueTime the lease may never outlive; 0 = no cap. */
  maxTtl: number;
  /** Failed automatic revocations so far. */
  revokeAttempts?: number;
  /** When the next automatic revocation is due after a failure (ms); absent before the first failure. */
  retryAt?: number;
  /** Set once automatic revocation gave up; the lease stays until revoked (with force if need be). */
  irrevocable?: { error: string; since: number };
}

/**
 * When the expiry machinery must next look at this lease (ms), or undefined when it never will
 * (irrevocable). A failed revocation moves the due time to `retryAt`.
 */
export function dueTime(rec: LeaseRecord): number | undefined {
  // An irrevocable lease is still retried, slowly, while it has a retry time.
  if (rec.irrevocable) return rec.retryAt;
  return rec.retryAt ?? rec.expireTime;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates a stored record; a malformed one is an internal error (storage is trusted but checked). */
export function parseLeaseRecord(v: unknown): LeaseRecord {
  const bad = (field: string): never => {
    throw new CofferError('internal', `stored lease record has an invalid ${field}`);
  };
  if (!isObject(v)) return bad('shape');
  const { id, path, kind, tokenId, issueTime, expireTime, lastRenewal, renewable, ttl, maxTtl } = v;
  if (typeof id !== 'string') return bad('id');
  if (typeof path !== 'string') return bad('path');
  if (kind !== 'secret' && kind !== 'token') return bad('kind');
  if (typeof tokenId !== 'string') return bad('tokenId');
  if (!isNum(issueTime)) return bad('issueTime');
  if (!isNum(expireTime)) return bad('expireTime');
  if (lastRenewal !== null && !isNum(lastRenewal)) return bad('lastRenewal');
  if (typeof renewable !== 'boolean') return bad('renewable');
  if (!isNum(ttl)) return bad('ttl');
  if (!isNum(maxTtl)) return bad('maxTtl');
  const rec: LeaseRecord = { id, path, kind, tokenId, issueTime, expireTime, lastRenewal, renewable, ttl, maxTtl };
  const { mountAccessor, secretType, internal, data, revokeAttempts, retryAt, irrevocable } = v;
  if (mountAccessor !== undefined) rec.mountAccessor = typeof mountAccessor === 'string' ? mountAccessor : bad('mountAccessor');
  if (secretType !== undefined) rec.secretType = typeof secretType === 'string' ? secretType : bad('secretType');
  if (internal !== undefined) rec.internal = isObject(internal) ? internal : bad('internal');
  if (data !== undefined) rec.data = isObject(data) ? data : bad('data');
  if (revokeAttempts !== undefined) rec.revokeAttempts = isNum(revokeAttempts) ? revokeAttempts : bad('revokeAttempts');
  if (retryAt !== undefined) rec.retryAt = isNum(retryAt) ? retryAt : bad('retryAt');
  if (irrevocable !== undefined) {
    if (!isObject(irrevocable) || typeof irrevocable['error'] !== 'string' || !isNum(irrevocable['since'])) {
      return bad('irrevocable');
    }
    rec.irrevocable = { error: irrevocable['error'], since: irrevocable['since'] };
  }
  return rec;
}
