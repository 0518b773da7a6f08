// Where leases live inside the expiration view (e.g. `sys/expire/`). Every key is built here.
//
//   id/<lease id>                          the record (JSON LeaseRecord); lease ids are paths, so
//                                          listing `id/<prefix>` is the one-level lease listing
//   bucket/<hour>/<minute>/<due>.<esc id>  expiry index by the time the manager must next act
//                                          (expireTime, or retryAt after a failed revocation);
//                                          <hour> = floor(due / 1h), <minute> = floor(due / 1min)
//                                          as absolute numbers, so unseal lists only a few folders
//   by-token/<esc token id>/<esc id>       secret leases by creating token (revoke-by-token)
//   irrevocable/<esc id>                   leases whose automatic revocation gave up
//   count                                  JSON number: how many records exist (see lease-counter)
//
// Index entries are empty values. Write order keeps "a record exists ⇒ its index entries exist":
// indexes are written before the record and deleted after it, so a crash can only leave dangling
// index entries, which expiry and tidy() recognise (no record, or a different due time) and drop.

import { CofferError } from '../../shared/index.js';

export const BUCKET_MS = 60_000;
export const HOUR_MS = 3_600_000;

export const RECORDS = 'id/';
export const BUCKETS = 'bucket/';
export const BY_TOKEN = 'by-token/';
export const IRREVOCABLE = 'irrevocable/';
export const COUNT_KEY = 'count';

/** Makes a lease id or token id a single path segment ('%' and '/' escaped), reversibly. */
export function escapeSegment(s: string): string {
  return s.replace(/%/g, '%25').replace(/\//g, '%2F');
}

export function unescapeSegment(s: string): string {
  return s.replace(/%2F/g, '/').replace(/%25/g, '%');
}

/**
 * A lease id must be a relative path of non-empty segments without `.`/`..`, so that `id/<id>`
 * can never address anything outside the records folder. Throws invalid_request `invalid lease`.
 */
export function recordKey(id: string): string {
  if (!isValidLeaseId(id)) throw new CofferError('invalid_request', 'invalid lease');
  return RECORDS + id;
}

export function isValidLeaseId(id: string): boolean {
  if (id === '' || id.length > 2048) return false;
  return id.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

export const hourOf = (due: number): number => Math.floor(due / HOUR_MS);
export const minuteOf = (due: number): number => Math.floor(due / BUCKET_MS);

export const hourFolder = (hour: number): string => `${BUCKETS}${hour}/`;
export const minuteFolder = (minute: number): string =>
  `${BUCKETS}${Math.floor((minute * BUCKET_MS) / HOUR_MS)}/${minute}/`;

export function bucketKey(due: number, id: string): string {
  return `${minuteFolder(minuteOf(due))}${due}.${escapeSegment(id)}`;
}

/** Parses a leaf name of a minute folder back into (due, id); undefined when it is not one of ours. */
export function parseBucketLeaf(leaf: string): { due: number; id: string } | undefined {
  const dot = leaf.indexOf('.');
  if (dot <= 0) return undefined;
  const due = Number(leaf.slice(0, dot));
  if (!Number.isSafeInteger(due)) return undefined;
  const id = unescapeSegment(leaf.slice(dot + 1));
  return isValidLeaseId(id) ? { due, id } : undefined;
}

export const tokenFolder = (tokenId: string): string => `${BY_TOKEN}${escapeSegment(tokenId)}/`;
export const tokenKey = (tokenId: string, id: string): string => tokenFolder(tokenId) + escapeSegment(id);
export const irrevocableKey = (id: string): string => IRREVOCABLE + escapeSegment(id);

/** Folder names listed under a prefix, as integers (non-numeric names are ignored). */
export function numericFolders(children: readonly string[]): number[] {
  const out: number[] = [];
  for (const c of children) {
    if (!c.endsWith('/')) continue;
    const n = Number(c.slice(0, -1));
    if (Number.isSafeInteger(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}
