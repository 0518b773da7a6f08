// Fetches one template dependency from Vault: `secret` reads (GET) and writes (PUT of k=v pairs),
// `secrets` lists. Responses keep their body text and JSON number spelling.

import { ApiError } from '../../api/index.js';
import type { VaultConnection } from '../vault-connection.js';
import type { LeaseFacts } from './refresh-plan.js';
import type { TemplateSecret } from './renderer.js';

/** There is no secret at the path (404, or a read without data). Engines render this as consul-template's error. */
export class NoSecretError extends Error {
  constructor(readonly path: string) {
    super(`no secret exists at ${path}`);
    this.name = 'NoSecretError';
  }
}

export interface DependencySpec {
  kind: 'read' | 'write' | 'list';
  path: string;
  /** `k=v` strings of a write. */
  args: readonly string[];
}

export interface FetchedDependency {
  /** For read and write. */
  secret?: TemplateSecret;
  /** For list. */
  keys?: string[];
  facts: LeaseFacts;
}

/** A stable identity for caching: same kind, path and arguments → same dependency. */
export function dependencyKey(spec: DependencySpec): string {
  return [spec.kind, spec.path.replace(/^\/+/, ''), ...spec.args].join('\u0000');
}

/** Describes a dependency for logs and errors, e.g. `vault.read(database/creds/app)`. */
export function describeDependency(spec: DependencySpec): string {
  return `vault.${spec.kind}(${spec.path})`;
}

/** Body of a write: each `k=v` split on its first `=`, key and value trimmed, values strings. */
export function writeBody(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq < 0) throw new Error(`invalid secret write argument ${JSON.stringify(a)}: expected key=value`);
    Object.defineProperty(out, a.slice(0, eq).trim(), { value: a.slice(eq + 1).trim(), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Fetches with `token`. Rejects with "no secret exists at …" for 404 or an empty read, ApiError for other failures. */
export async function fetchDependency(conn: VaultConnection, token: string | undefined, spec: DependencySpec): Promise<FetchedDependency> {
  const path = spec.path.replace(/^\/+/, '');
  const opts = token !== undefined && token !== '' ? { token } : {};
  const res =
    spec.kind === 'write'
      ? await conn.raw('PUT', path, { ...opts, body: writeBody(spec.args) })
      : await conn.raw('GET', spec.kind === 'list' ? `${path}${path.includes('?') ? '&' : '?'}list=true` : path, opts);
  const text = res.text;
  // Plain JSON.parse is enough for the lease facts read here: the template engine decodes
  // rawText itself, keeping each number's text as Go's json.Number does.
  let body: unknown = null;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  const obj = isObject(body) ? body : undefined;
  if (res.status === 404 && spec.kind === 'list') return { keys: [], facts: facts(spec, undefined) };
  if (res.status === 404 && !(obj !== undefined && isObject(obj['data']))) throw new NoSecretError(path);
  if (res.status >= 400) {
    const errs = obj !== undefined && Array.isArray(obj['errors']) ? obj['errors'].map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : [];
    throw new ApiError({ status: res.status, errors: errs, method: spec.kind === 'write' ? 'PUT' : 'GET', url: `${conn.address}/v1/${path}`, body: text });
  }
  if (spec.kind === 'list') {
    const data = obj !== undefined && isObject(obj['data']) ? obj['data'] : {};
    const keys = Array.isArray(data['keys']) ? data['keys'].filter((k): k is string => typeof k === 'string').sort() : [];
    return { keys, facts: facts(spec, obj) };
  }
  if (spec.kind === 'read' && (obj === undefined || !isObject(obj['data']))) throw new NoSecretError(path);
  return { secret: { body: obj ?? {}, rawText: text }, facts: facts(spec, obj) };
}

function facts(spec: DependencySpec, body: JsonObject | undefined): LeaseFacts {
  const auth = body !== undefined && isObject(body['auth']) ? body['auth'] : undefined;
  // Responses that create tokens carry their lease in `auth`.
  const leaseDuration = auth !== undefined ? num(auth['lease_duration']) : num(body?.['lease_duration']);
  const out: LeaseFacts = {
    kind: spec.kind,
    leaseId: typeof body?.['lease_id'] === 'string' ? body['lease_id'] : '',
    leaseDurationSeconds: leaseDuration,
    renewable: auth !== undefined ? auth['renewable'] === true : body?.['renewable'] === true,
  };
  if (auth !== undefined) out.tokenLease = true;
  const data = body !== undefined && isObject(body['data']) ? body['data'] : undefined;
  if (data !== undefined && data['rotation_period'] !== undefined && num(data['ttl']) > 0) out.rotationTtlSeconds = num(data['ttl']);
  return out;
}

type JsonObject = { readonly [k: string]: unknown };

function num(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return 0;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
