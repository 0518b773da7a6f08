// The raw (non-envelope) sys endpoints: init, seal-status, unseal, seal, step-down, health,
// leader. They work while sealed and answer bare JSON objects.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core, SealStatusView } from '../core/index.js';
import { CofferError, parseGoBool } from '../shared/index.js';
import { sendJson, sendNoContent } from './respond.js';

export interface RawContext {
  method: string;
  query: URLSearchParams;
  /** Parsed body (POST/PUT) or undefined. */
  body: () => Promise<Record<string, unknown> | undefined>;
  token: string | undefined;
  /** The listener lets sys/metrics be read without a token. */
  unauthenticatedMetrics: boolean;
}

type RawHandler = (core: Core, ctx: RawContext, res: ServerResponse, req: IncomingMessage) => Promise<void>;

function methodNotAllowed(): CofferError {
  return new CofferError('unsupported_operation', 'unsupported operation');
}

const isWrite = (m: string): boolean => m === 'PUT' || m === 'POST';

export function sealStatusJson(s: SealStatusView): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: s.type,
    initialized: s.initialized,
    sealed: s.sealed,
    t: s.t,
    n: s.n,
    progress: s.progress,
    nonce: s.nonce,
    version: s.version,
    build_date: s.buildDate,
    migration: s.migration,
  };
  if (s.cluster) {
    out['cluster_name'] = s.cluster.name;
    out['cluster_id'] = s.cluster.id;
  }
  out['recovery_seal'] = s.recoverySeal;
  out['storage_type'] = s.storageType;
  return out;
}

/** Reads a field case-insensitively, as Go's decoder does for untagged structs. */
function field(body: Record<string, unknown> | undefined, name: string): unknown {
  if (!body) return undefined;
  if (name in body) return body[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(body)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function intField(body: Record<string, unknown> | undefined, name: string): number {
  const v = field(body, name);
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new CofferError('invalid_request', `${name} must be an integer`);
}

const init: RawHandler = async (core, ctx, res) => {
  if (ctx.method === 'GET') return sendJson(res, 200, JSON.stringify({ initialized: core.isInitialized() }));
  if (!isWrite(ctx.method)) throw methodNotAllowed();
  const body = await ctx.body();
  const pgp = field(body, 'pgp_keys');
  if (Array.isArray(pgp) && pgp.length > 0) throw new CofferError('invalid_request', 'PGP-encrypted unseal keys are not supported by this server');
  const rootPgp = field(body, 'root_token_pgp_key');
  if (typeof rootPgp === 'string' && rootPgp !== '') throw new CofferError('invalid_request', 'a PGP-encrypted root token is not supported by this server');
  const recovery = ['recovery_shares', 'recovery_threshold'].filter((n) => intField(body, n) !== 0);
  if (recovery.length > 0) {
    throw new CofferError('invalid_request', `parameters ${recovery.join(',')} not applicable to seal type shamir`);
  }
  const secretShares = intField(body, 'secret_shares');
  const secretThreshold = intField(body, 'secret_threshold');
  const stored = intField(body, 'stored_shares');
  if (stored !== 0 && stored !== secretShares) throw new CofferError('invalid_request', 'stored_shares is not applicable to seal type shamir');
  const { keys, rootToken } = await core.initialize({ secretShares, secretThreshold });
  sendJson(
    res,
    200,
    JSON.stringify({
      keys: keys.map((k) => Buffer.from(k).toString('hex')),
      keys_base64: keys.map((k) => Buffer.from(k).toString('base64')),
      root_token: rootToken,
    }),
  );
};

const sealStatus: RawHandler = (core, ctx, res) => {
  if (ctx.method !== 'GET') return Promise.reject(methodNotAllowed());
  sendJson(res, 200, JSON.stringify(sealStatusJson(core.sealStatus())));
  return Promise.resolve();
};

const unseal: RawHandler = async (core, ctx, res) => {
  if (!isWrite(ctx.method)) throw methodNotAllowed();
  const body = await ctx.body();
  const resetRaw = field(body, 'reset');
  const reset = resetRaw === true || (typeof resetRaw === 'string' && parseGoBool(resetRaw) === true);
  const key = field(body, 'key');
  if (key !== undefined && key !== null && typeof key !== 'string') throw new CofferError('invalid_request', "'key' must be a valid hex or base64 string");
  const status = await core.unseal(reset ? { reset: true } : typeof key === 'string' ? { key } : {});
  sendJson(res, 200, JSON.stringify(sealStatusJson(status)));
};

const seal: RawHandler = async (core, ctx, res) => {
  if (!isWrite(ctx.method)) throw methodNotAllowed();
  await core.seal(ctx.token);
  sendNoContent(res);
};

const stepDown: RawHandler = async (core, ctx, res) => {
  if (!isWrite(ctx.method)) throw methodNotAllowed();
  await core.stepDown(ctx.token);
  sendNoContent(res);
};

function codeParam(q: URLSearchParams, names: string[], fallback: number): number {
  for (const n of names) {
    const v = q.get(n);
    if (v === null) continue;
    if (!/^\d+$/.test(v)) throw new CofferError('invalid_request', `invalid ${n} value: ${JSON.stringify(v)}`);
    return Number(v);
  }
  return fallback;
}

const health: RawHandler = (core, ctx, res) => {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return Promise.reject(methodNotAllowed());
  const q = ctx.query;
  for (const b of ['standbyok', 'perfstandbyok']) {
    const v = q.get(b);
    if (v !== null && v !== '' && parseGoBool(v) === undefined) {
      sendJson(res, 400, '{"errors":[]}');
      return Promise.resolve();
    }
  }
  const h = core.health();
  let status: number;
  if (!h.initialized) status = codeParam(q, ['uninitcode'], 501);
  else if (h.sealed) status = codeParam(q, ['sealedcode'], 503);
  else status = codeParam(q, ['activecode'], 200);
  // Validate the remaining override params too, so a malformed one is a 400 in every state.
  for (const n of ['standbycode', 'drsecondarycode', 'performancestandbycode', 'perfstandbycode', 'removedcode', 'haunhealthycode']) codeParam(q, [n], 0);
  const body: Record<string, unknown> = {
    initialized: h.initialized,
    sealed: h.sealed,
    standby: h.standby,
    performance_standby: false,
    replication_performance_mode: 'disabled',
    replication_dr_mode: 'disabled',
    server_time_utc: h.serverTimeUtc,
    version: h.version,
    enterprise: false,
  };
  if (h.cluster) {
    body['cluster_name'] = h.cluster.name;
    body['cluster_id'] = h.cluster.id;
  }
  body['echo_duration_ms'] = 0;
  body['clock_skew_ms'] = 0;
  sendJson(res, status, JSON.stringify(body), ctx.method === 'HEAD');
  return Promise.resolve();
};

const leader: RawHandler = (core, ctx, res) => {
  if (ctx.method !== 'GET') return Promise.reject(methodNotAllowed());
  if (core.isSealed()) return Promise.reject(new CofferError('sealed', 'Vault is sealed'));
  const l = core.leader();
  sendJson(
    res,
    200,
    JSON.stringify({
      ha_enabled: l.haEnabled,
      is_self: l.isSelf,
      active_time: l.activeTime,
      leader_address: l.leaderAddress,
      leader_cluster_address: l.leaderClusterAddress,
      performance_standby: false,
      performance_standby_last_remote_wal: 0,
    }),
  );
  return Promise.resolve();
};

/** sys/metrics: Prometheus text with `format=prometheus`, go-metrics JSON otherwise; needs read on sys/metrics. */
const metrics: RawHandler = async (core, ctx, res) => {
  if (ctx.method !== 'GET') throw methodNotAllowed();
  const format = ctx.query.get('format') === 'prometheus' ? 'prometheus' : 'json';
  const out = await core.metrics(ctx.unauthenticatedMetrics ? { unauthenticated: true } : { token: ctx.token }, format);
  res.writeHead(200, { 'Content-Type': out.contentType, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(out.body) });
  res.end(out.body);
};

/** Raw endpoints by path (under /v1/, no leading '/'). */
export const rawRoutes: ReadonlyMap<string, RawHandler> = new Map([
  ['sys/init', init],
  ['sys/seal-status', sealStatus],
  ['sys/unseal', unseal],
  ['sys/seal', seal],
  ['sys/step-down', stepDown],
  ['sys/health', health],
  ['sys/leader', leader],
  ['sys/metrics', metrics],
]);
