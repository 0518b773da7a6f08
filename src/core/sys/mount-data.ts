// Wire data for mount entries (sys/mounts, sys/auth, tune, internal/ui/mounts) and parsing of
// enable/tune request bodies.

import type { SystemView } from '../../sdk/index.js';
import { CofferError, parseDurationSeconds } from '../../shared/index.js';
import type { MountConfig, MountEntry } from '../mount-entry.js';
import type { EnableInput, TuneInput } from '../mount-manager.js';
import { COFFER_VERSION } from '../version.js';

export function mountData(e: MountEntry): Record<string, unknown> {
  const config: Record<string, unknown> = {
    default_lease_ttl: e.config.defaultLeaseTtl,
    force_no_cache: e.config.forceNoCache,
    max_lease_ttl: e.config.maxLeaseTtl,
  };
  if (e.config.listingVisibility) config['listing_visibility'] = e.config.listingVisibility;
  if (e.config.auditNonHmacRequestKeys.length) config['audit_non_hmac_request_keys'] = e.config.auditNonHmacRequestKeys;
  if (e.config.auditNonHmacResponseKeys.length) config['audit_non_hmac_response_keys'] = e.config.auditNonHmacResponseKeys;
  if (e.config.passthroughRequestHeaders.length) config['passthrough_request_headers'] = e.config.passthroughRequestHeaders;
  if (e.config.allowedResponseHeaders.length) config['allowed_response_headers'] = e.config.allowedResponseHeaders;
  if (e.table === 'auth' && e.config.tokenType) config['token_type'] = e.config.tokenType;
  return {
    accessor: e.accessor,
    config,
    deprecation_status: 'supported',
    description: e.description,
    external_entropy_access: e.externalEntropyAccess,
    local: e.local,
    options: e.options,
    plugin_version: '',
    running_plugin_version: `v${COFFER_VERSION}+builtin`,
    running_sha256: '',
    seal_wrap: e.sealWrap,
    type: e.type,
    uuid: e.uuid,
  };
}

export function tuneData(e: MountEntry, view: SystemView): Record<string, unknown> {
  const out: Record<string, unknown> = {
    default_lease_ttl: view.defaultLeaseTtl(),
    description: e.description,
    force_no_cache: e.config.forceNoCache,
    max_lease_ttl: view.maxLeaseTtl(),
  };
  if (e.options) out['options'] = e.options;
  if (e.config.listingVisibility) out['listing_visibility'] = e.config.listingVisibility;
  if (e.config.auditNonHmacRequestKeys.length) out['audit_non_hmac_request_keys'] = e.config.auditNonHmacRequestKeys;
  if (e.config.auditNonHmacResponseKeys.length) out['audit_non_hmac_response_keys'] = e.config.auditNonHmacResponseKeys;
  if (e.config.passthroughRequestHeaders.length) out['passthrough_request_headers'] = e.config.passthroughRequestHeaders;
  if (e.config.allowedResponseHeaders.length) out['allowed_response_headers'] = e.config.allowedResponseHeaders;
  if (e.table === 'auth' && e.config.tokenType) out['token_type'] = e.config.tokenType;
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringMap(v: unknown, field: string): Record<string, string> | null {
  if (v === undefined || v === null) return null;
  if (!isRecord(v)) throw new CofferError('invalid_request', `${field} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else throw new CofferError('invalid_request', `${field}.${k} must be a string`);
  }
  return out;
}

function stringList(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v) && v.every((x): x is string => typeof x === 'string')) return v;
  throw new CofferError('invalid_request', `${field} must be a list of strings`);
}

/** A TTL in a mount config: "" / absent → unchanged (undefined); "system" → 0 (system default). */
function ttlField(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v === 'system') return 0;
  return parseDurationSeconds(v, field);
}

function visibility(v: unknown): '' | 'unauth' | 'hidden' | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === '' || v === 'unauth' || v === 'hidden') return v;
  throw new CofferError('invalid_request', 'invalid listing_visibility');
}

function bool(v: unknown, field: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new CofferError('invalid_request', `${field} must be a boolean`);
}

function configInput(raw: Record<string, unknown>): Partial<MountConfig> & { tuneTokenType?: string } {
  const out: Partial<MountConfig> = {};
  const d = ttlField(raw['default_lease_ttl'], 'default_lease_ttl');
  if (d !== undefined) out.defaultLeaseTtl = d;
  const m = ttlField(raw['max_lease_ttl'], 'max_lease_ttl');
  if (m !== undefined) out.maxLeaseTtl = m;
  if (raw['force_no_cache'] !== undefined) out.forceNoCache = bool(raw['force_no_cache'], 'force_no_cache');
  const lv = visibility(raw['listing_visibility']);
  if (lv !== undefined) out.listingVisibility = lv;
  const lists = [
    ['audit_non_hmac_request_keys', 'auditNonHmacRequestKeys'],
    ['audit_non_hmac_response_keys', 'auditNonHmacResponseKeys'],
    ['passthrough_request_headers', 'passthroughRequestHeaders'],
    ['allowed_response_headers', 'allowedResponseHeaders'],
  ] as const;
  for (const [wire, key] of lists) {
    const l = stringList(raw[wire], wire);
    if (l) out[key] = l;
  }
  if (typeof raw['token_type'] === 'string') out.tokenType = raw['token_type'];
  return out;
}

/** Parses a sys/mounts/:path or sys/auth/:path enable body; resolves kv type aliases. */
export function parseEnableInput(data: Record<string, unknown> | undefined, table: 'mounts' | 'auth'): EnableInput {
  const d = data ?? {};
  let type = typeof d['type'] === 'string' ? d['type'] : '';
  if (type === '') throw new CofferError('invalid_request', 'backend type must be specified as a string');
  const config = isRecord(d['config']) ? configInput(d['config']) : {};
  let options = stringMap(d['options'], 'options');
  if (table === 'mounts') {
    const aliases: Record<string, string> = { 'kv-v1': '1', 'kv-v2': '2' };
    const forced = aliases[type];
    if (forced !== undefined) {
      if (options?.['version'] !== undefined) {
        throw new CofferError('invalid_request', `cannot set version option for the "${type}" type; use type "kv"`);
      }
      options = { ...(options ?? {}), version: forced };
      type = 'kv';
    } else if (type === 'generic') type = 'kv';
  }
  return {
    type,
    description: typeof d['description'] === 'string' ? d['description'] : '',
    config,
    options,
    local: bool(d['local'], 'local'),
    sealWrap: bool(d['seal_wrap'], 'seal_wrap'),
    externalEntropyAccess: bool(d['external_entropy_access'], 'external_entropy_access'),
  };
}

export function parseTuneInput(data: Record<string, unknown> | undefined): TuneInput {
  const d = data ?? {};
  const c = configInput(d);
  const out: TuneInput = {};
  if (c.defaultLeaseTtl !== undefined) out.defaultLeaseTtl = c.defaultLeaseTtl;
  if (c.maxLeaseTtl !== undefined) out.maxLeaseTtl = c.maxLeaseTtl;
  if (c.listingVisibility !== undefined) out.listingVisibility = c.listingVisibility;
  if (c.auditNonHmacRequestKeys) out.auditNonHmacRequestKeys = c.auditNonHmacRequestKeys;
  if (c.auditNonHmacResponseKeys) out.auditNonHmacResponseKeys = c.auditNonHmacResponseKeys;
  if (c.passthroughRequestHeaders) out.passthroughRequestHeaders = c.passthroughRequestHeaders;
  if (c.allowedResponseHeaders) out.allowedResponseHeaders = c.allowedResponseHeaders;
  if (c.tokenType !== undefined) out.tokenType = c.tokenType;
  if (typeof d['description'] === 'string') out.description = d['description'];
  const options = stringMap(d['options'], 'options');
  if (options) out.options = options;
  return out;
}
