// How a logical response is shown: the Key/Value table of `read`/`write`, the Keys table of `list`,
// and the raw single field of `-field`.

import type { VaultSecret } from '../../api/index.js';
import { keyValueTable, table } from './columns.js';
import { goValue } from './go-value.js';
import { humanDuration } from './human-duration.js';

/** Key/Value table: lease rows, token rows for auth responses, then data keys sorted. '' if empty. */
export function secretTable(secret: VaultSecret): string {
  const rows: [string, string][] = [];
  if (secret.lease_duration > 0) {
    if (secret.lease_id !== '') {
      rows.push(['lease_id', secret.lease_id]);
      rows.push(['lease_duration', humanDuration(secret.lease_duration)]);
      rows.push(['lease_renewable', String(secret.renewable)]);
    } else {
      rows.push(['refresh_interval', humanDuration(secret.lease_duration)]);
    }
  }
  if (secret.auth !== null) rows.push(...authRows(secret.auth));
  if (secret.wrap_info !== null) rows.push(...wrapRows(secret.wrap_info));
  const data = secret.data ?? {};
  for (const k of Object.keys(data).sort()) rows.push([k, dataCell(k, data[k])]);
  return rows.length === 0 ? '' : keyValueTable(rows);
}

// vault shows numeric TTL-like fields (ttl, *_ttl, period, *_period) as durations: `ttl  59m53s`.
function dataCell(key: string, value: unknown): string {
  const ttlLike = key === 'ttl' || key.endsWith('_ttl') || key === 'period' || key.endsWith('_period');
  return ttlLike && typeof value === 'number' && Number.isInteger(value) ? humanDuration(value) : goValue(value);
}

function authRows(auth: Record<string, unknown>): [string, string][] {
  const rows: [string, string][] = [];
  const s = (k: string): string => goValue(auth[k] ?? '');
  rows.push(['token', s('client_token')]);
  rows.push(['token_accessor', s('accessor')]);
  // A zero TTL means the token never expires (root); vault shows it as ∞.
  const ttl = typeof auth['lease_duration'] === 'number' ? auth['lease_duration'] : 0;
  rows.push(['token_duration', ttl === 0 ? '∞' : humanDuration(ttl)]);
  rows.push(['token_renewable', String(auth['renewable'] === true)]);
  rows.push(['token_policies', goQuotedList(auth['token_policies'])]);
  rows.push(['identity_policies', goQuotedList(auth['identity_policies'])]);
  rows.push(['policies', goQuotedList(auth['policies'])]);
  const meta = auth['metadata'];
  if (typeof meta === 'object' && meta !== null) {
    const m = meta as Record<string, unknown>;
    for (const k of Object.keys(m).sort()) rows.push([`token_meta_${k}`, goValue(m[k])]);
  }
  return rows;
}

// vault labels these rows with a trailing colon, unlike every other row.
function wrapRows(w: Record<string, unknown>): [string, string][] {
  const s = (k: string): string => (typeof w[k] === 'string' ? w[k] : '');
  const ttl = typeof w['ttl'] === 'number' ? w['ttl'] : 0;
  const rows: [string, string][] = [
    ['wrapping_token:', s('token')],
    ['wrapping_accessor:', s('accessor')],
    ['wrapping_token_ttl:', humanDuration(ttl)],
    ['wrapping_token_creation_time:', goTimeString(s('creation_time'))],
    ['wrapping_token_creation_path:', s('creation_path')],
  ];
  if (s('wrapped_accessor') !== '') rows.push(['wrapped_accessor:', s('wrapped_accessor')]);
  return rows;
}

/**
 * An RFC 3339 time as Go's time.Time.String() prints it after decoding:
 * `2026-01-01T10:00:00.5Z` → `2026-01-01 10:00:00.5 +0000 UTC`. Unparsable input is returned as is.
 */
export function goTimeString(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (m === null) return rfc3339;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const zone = m[4] ?? 'Z';
  const offset = zone.toUpperCase() === 'Z' ? '+0000 UTC' : `${zone.replace(':', '')} ${zone.replace(':', '')}`;
  return `${m[1] ?? ''} ${m[2] ?? ''}${frac === '.' ? '' : frac} ${offset}`;
}

/** A string list as Go's %q prints it: `["a" "b"]`. */
export function goQuotedList(v: unknown): string {
  const items = Array.isArray(v) ? v.map((x) => JSON.stringify(typeof x === 'string' ? x : goValue(x))) : [];
  return `[${items.join(' ')}]`;
}

/** The `Keys` table of a list response. */
export function listTable(keys: readonly unknown[]): string {
  return table(['Keys'], keys.map((k) => [goValue(k)]));
}

/**
 * Looks a `-field` name up the way vault does: wrapping fields of `wrap_info`, token fields of `auth` first, then the lease
 * fields, then `data`. undefined when absent.
 */
export function rawField(secret: VaultSecret, field: string): unknown {
  const wrap = secret.wrap_info;
  if (wrap !== null) {
    const wrapFields: Record<string, string> = {
      wrapping_token: 'token',
      wrapping_accessor: 'accessor',
      wrapping_token_ttl: 'ttl',
      wrapping_token_creation_time: 'creation_time',
      wrapping_token_creation_path: 'creation_path',
      wrapped_accessor: 'wrapped_accessor',
    };
    const key = wrapFields[field];
    if (key !== undefined && key in wrap) return wrap[key];
  }
  const auth = secret.auth;
  if (auth !== null) {
    const authFields: Record<string, string> = {
      token: 'client_token',
      token_accessor: 'accessor',
      token_duration: 'lease_duration',
      token_renewable: 'renewable',
      token_policies: 'token_policies',
      identity_policies: 'identity_policies',
      policies: 'policies',
    };
    const key = authFields[field];
    if (key !== undefined && key in auth) {
      const v = auth[key];
      return field === 'token_duration' && typeof v === 'number' ? humanDuration(v) : v;
    }
  }
  switch (field) {
    case 'lease_id':
      if (secret.lease_id !== '') return secret.lease_id;
      break;
    case 'lease_duration':
    case 'refresh_interval':
      if (secret.lease_duration > 0) return humanDuration(secret.lease_duration);
      break;
    case 'lease_renewable':
      if (secret.lease_id !== '') return secret.renewable;
      break;
  }
  const v = secret.data?.[field];
  return v === null ? undefined : v;
}
