// The token record: everything a lookup needs, keyed by the salted hash of the token id (the id
// itself is never stored). Also the tolerant parser for records read back from storage.

export type TokenType = 'service' | 'batch';

/** Lifecycle of a stored record; only 'active' records authenticate. */
export type StoredStatus = 'active' | 'exhausted' | 'revoking';

export interface TokenEntry {
  /** Salted HMAC-SHA256 (hex) of the token id. */
  readonly idHash: string;
  /** "" for batch tokens, which have no accessor. */
  readonly accessor: string;
  /** idHash of the parent, or "" for orphans. */
  readonly parent: string;
  /** Sorted and deduplicated; ["root"] alone when root. */
  readonly policies: readonly string[];
  readonly path: string;
  readonly meta: Readonly<Record<string, string>> | null;
  readonly displayName: string;
  /** Remaining uses; 0 = unlimited; -1 = the request in flight is the last use. */
  readonly numUses: number;
  /** ms since the epoch */
  readonly creationTime: number;
  /** seconds: the TTL given at creation (lookup's creation_ttl); 0 = never expires */
  readonly ttl: number;
  /** seconds; 0 = none. A hard cap from creation time that renewals cannot pass. */
  readonly explicitMaxTtl: number;
  /** seconds; the issuing auth method's max TTL (0 = the token mount's max at renewal time). */
  readonly maxTtl: number;
  /** seconds; 0 = not periodic */
  readonly period: number;
  readonly renewable: boolean;
  readonly orphan: boolean;
  readonly type: TokenType;
  /** Token role it was created from, or "". */
  readonly role: string;
  readonly entityId: string;
  readonly boundCidrs: readonly string[];
  /** ms; 0 = never renewed */
  readonly lastRenewal: number;
  /** ms; 0 = never expires */
  readonly expireTime: number;
  readonly namespace: 'root';
}

/** A record as persisted under id/<hash>. */
export interface StoredToken extends TokenEntry {
  readonly status: StoredStatus;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function strMap(v: unknown): Record<string, string> | null {
  if (!isRecord(v)) return null;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/**
 * Parses a stored record; undefined when it is not one. Records written by the foundation store
 * (creationTime in seconds, fewer fields) are accepted and upgraded on the fly.
 */
export function parseStoredToken(raw: unknown): StoredToken | undefined {
  if (!isRecord(raw)) return undefined;
  if (typeof raw['idHash'] !== 'string' || typeof raw['accessor'] !== 'string' || !Array.isArray(raw['policies'])) return undefined;
  let creationTime = num(raw['creationTime']);
  // The foundation store kept Unix seconds; anything this small cannot be milliseconds.
  if (creationTime > 0 && creationTime < 1e11) creationTime *= 1000;
  const ttl = num(raw['ttl']);
  const status = raw['status'];
  const expireTime = raw['expireTime'] === undefined ? (ttl > 0 ? creationTime + ttl * 1000 : 0) : num(raw['expireTime']);
  return {
    idHash: raw['idHash'],
    accessor: raw['accessor'],
    parent: str(raw['parent']),
    policies: strList(raw['policies']),
    path: str(raw['path']),
    meta: strMap(raw['meta']),
    displayName: str(raw['displayName']),
    numUses: num(raw['numUses']),
    creationTime,
    ttl,
    explicitMaxTtl: num(raw['explicitMaxTtl']),
    maxTtl: num(raw['maxTtl']),
    period: num(raw['period']),
    renewable: raw['renewable'] === undefined ? ttl > 0 : raw['renewable'] === true,
    orphan: raw['orphan'] === true,
    type: raw['type'] === 'batch' ? 'batch' : 'service',
    role: str(raw['role']),
    entityId: str(raw['entityId']),
    boundCidrs: strList(raw['boundCidrs']),
    lastRenewal: num(raw['lastRenewal']),
    expireTime,
    namespace: 'root',
    status: status === 'exhausted' || status === 'revoking' ? status : 'active',
  };
}

// Records are immutable (every change makes a new one), so each has exactly one public view;
// remembering it saves rebuilding a 20-field object on every authenticated request.
const views = new WeakMap<StoredToken, TokenEntry>();

/** The public view of a stored record (drops the lifecycle status). The same record gives the same object. */
export function toEntry(s: StoredToken): TokenEntry {
  const known = views.get(s);
  if (known !== undefined) return known;
  const { status: _status, ...entry } = s;
  views.set(s, entry);
  return entry;
}
