// consul-template's Vault functions: `secret` (read, or write with "k=v" arguments) returning a
// *dependency.Secret, and `secrets` (LIST) returning sorted keys. Every call is recorded as a
// dependency with its lease so the agent can schedule re-renders.
import type { GoValue } from './go-values.js';
import { compareGoStrings, GoFunc, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber } from './go-values.js';
import { T } from './go-types.js';
import { goTimeParts } from './go-time-format.js';
import { decodeJson, JsonSyntaxError } from './json-decode.js';
import { FuncError } from './template-error.js';

/** A Vault response body: raw JSON text (keeps number text exactly) or an already-parsed object. */
export type SecretPayload = string | { readonly [key: string]: unknown };

/**
 * What the template engine needs from the server. Implementations do the HTTP calls (including
 * KV v2 path handling) and must resolve null when no secret exists at the path.
 */
export interface TemplateDataSource {
  /** GET /v1/{path} (path may carry ?query), or PUT with writeData (values are strings). */
  secret(path: string, writeData?: Readonly<Record<string, string>>): Promise<SecretPayload | null>;
  /** LIST /v1/{path}: the keys (folders end in "/"); an empty list when nothing is there. */
  list(path: string): Promise<readonly string[]>;
}

export interface SecretDependency {
  readonly kind: 'read' | 'write' | 'list';
  readonly path: string;
  /** The write form's body. */
  readonly data?: Readonly<Record<string, string>>;
  readonly leaseId: string;
  readonly leaseDuration: number;
  readonly renewable: boolean;
}

const AUTH_FIELDS = ['ClientToken', 'Accessor', 'Policies', 'Metadata', 'LeaseDuration', 'Renewable'];
const WRAP_FIELDS = ['Token', 'TTL', 'CreationTime', 'WrappedAccessor'];

/** Converts parsed JSON (from a payload object) into Go values, numbers as json.Number. */
export function fromJsonValue(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return new JsonNumber(String(v));
  if (typeof v === 'bigint') return new JsonNumber(v.toString());
  if (Array.isArray(v)) return new GoSlice(v.map((x) => fromJsonValue(x)));
  if (typeof v === 'object') {
    return new GoMap(new Map(Object.entries(v).map(([k, x]) => [k, fromJsonValue(x)])));
  }
  return null;
}

function get(m: GoValue, key: string): GoValue {
  return m instanceof GoMap ? m.entries.get(key) : undefined;
}

function asString(v: GoValue): string {
  return typeof v === 'string' ? v : v instanceof JsonNumber ? v.text : '';
}

function asInt(v: GoValue): bigint {
  const s = asString(v);
  return /^-?\d+$/.test(s) ? BigInt(s) : 0n;
}

function stringSlice(v: GoValue): GoSlice {
  const items = v instanceof GoSlice ? v.items.map((x) => asString(x)) : [];
  return new GoSlice(items, T.string);
}

function stringMap(v: GoValue): GoMap {
  const m = new Map<string, GoValue>();
  if (v instanceof GoMap) for (const [k, x] of v.entries) m.set(k, asString(x));
  return new GoMap(m, T.string);
}

/** Builds consul-template's *dependency.Secret from a decoded response. */
export function secretStruct(resp: GoValue): GoStruct {
  const data = get(resp, 'data');
  const auth = get(resp, 'auth');
  const wrap = get(resp, 'wrap_info');
  const authValue: GoValue =
    auth instanceof GoMap
      ? new GoStruct('dependency.SecretAuth', [
          ['ClientToken', asString(get(auth, 'client_token'))],
          ['Accessor', asString(get(auth, 'accessor'))],
          ['Policies', stringSlice(get(auth, 'policies'))],
          ['Metadata', stringMap(get(auth, 'metadata'))],
          ['LeaseDuration', asInt(get(auth, 'lease_duration'))],
          ['Renewable', get(auth, 'renewable') === true],
        ])
      : new GoNilPointer('dependency.SecretAuth', AUTH_FIELDS);
  const creation = goTimeParts(asString(get(wrap, 'creation_time')));
  const wrapValue: GoValue =
    wrap instanceof GoMap
      ? new GoStruct('dependency.SecretWrapInfo', [
          ['Token', asString(get(wrap, 'token'))],
          ['TTL', asInt(get(wrap, 'ttl'))],
          ['CreationTime', new GoStruct('time.Time', [], new Map(), () => creation.string, () => creation.json)],
          ['WrappedAccessor', asString(get(wrap, 'wrapped_accessor'))],
        ])
      : new GoNilPointer('dependency.SecretWrapInfo', WRAP_FIELDS);
  return new GoStruct('dependency.Secret', [
    ['RequestID', asString(get(resp, 'request_id'))],
    ['LeaseID', asString(get(resp, 'lease_id'))],
    ['LeaseDuration', asInt(get(resp, 'lease_duration'))],
    ['Renewable', get(resp, 'renewable') === true],
    ['Data', data instanceof GoMap ? data : new GoMap(new Map())],
    ['Warnings', stringSlice(get(resp, 'warnings'))],
    ['Auth', authValue],
    ['WrapInfo', wrapValue],
  ]);
}

function decodePayload(path: string, payload: SecretPayload): GoValue {
  if (typeof payload !== 'string') return fromJsonValue(payload);
  try {
    return decodeJson(payload, { useNumber: true });
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new FuncError(`error decoding response from ${path}: ${e.message}`);
    throw e;
  }
}

/** A KV v2 version whose deletion_time has passed reads as "no secret". */
function isDeletedVersion(resp: GoValue, now: Date): boolean {
  const data = get(resp, 'data');
  const meta = get(data, 'metadata');
  if (!(meta instanceof GoMap) || !(data instanceof GoMap) || !data.entries.has('data')) return false;
  const deletion = asString(get(meta, 'deletion_time'));
  if (deletion === '') return false;
  const t = Date.parse(deletion);
  return !Number.isNaN(t) && t <= now.getTime();
}

export interface VaultFunctionContext {
  readonly source: TemplateDataSource;
  readonly now: () => Date;
  /** Receives each dependency once, in first-use order. */
  readonly record: (dep: SecretDependency) => void;
}

const str = (v: GoValue): string => (typeof v === 'string' ? v : '');

export function vaultFunctions(ctx: VaultFunctionContext): Map<string, GoFunc> {
  const secrets = new Map<string, Promise<GoStruct>>();
  const lists = new Map<string, Promise<GoSlice>>();

  const readSecret = async (path: string, write: Record<string, string> | undefined): Promise<GoStruct> => {
    const payload = await ctx.source.secret(path, write);
    if (payload === null) throw new FuncError(`no secret exists at ${path}`);
    const resp = decodePayload(path, payload);
    if (isDeletedVersion(resp, ctx.now())) throw new FuncError(`no secret exists at ${path}`);
    ctx.record({
      kind: write === undefined ? 'read' : 'write',
      path,
      ...(write === undefined ? {} : { data: write }),
      leaseId: asString(get(resp, 'lease_id')),
      leaseDuration: Number(asInt(get(resp, 'lease_duration'))),
      renewable: get(resp, 'renewable') === true,
    });
    return secretStruct(resp);
  };

  const secret = new GoFunc([], T.string, T.iface, (args) => {
    if (args.length === 0) return null;
    const path = str(args[0]);
    const rest = args.slice(1).map(str);
    const data: Record<string, string> = {};
    for (const pair of rest) {
      if (pair === '') continue;
      const at = pair.indexOf('=');
      if (at < 0) throw new FuncError(`not k=v pair ${JSON.stringify(pair)}`);
      data[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
    const write = rest.length === 0 ? undefined : data;
    const key = JSON.stringify([path, write === undefined ? null : Object.entries(write).sort(([a], [b]) => compareGoStrings(a, b))]);
    let p = secrets.get(key);
    if (p === undefined) {
      p = readSecret(path, write);
      secrets.set(key, p);
    }
    return p;
  });

  const list = new GoFunc([T.string], undefined, T.stringSlice, (args) => {
    const path = str(args[0]);
    if (path === '') return new GoSlice([], T.string);
    let p = lists.get(path);
    if (p === undefined) {
      p = ctx.source.list(path).then((keys) => {
        ctx.record({ kind: 'list', path, leaseId: '', leaseDuration: 0, renewable: false });
        return new GoSlice([...keys].sort(compareGoStrings), T.string);
      });
      lists.set(path, p);
    }
    return p;
  });

  return new Map([
    ['secret', secret],
    ['secrets', list],
  ]);
}
