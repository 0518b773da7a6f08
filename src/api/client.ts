// createApiClient: a typed client of Vault's public HTTP API (logical read/list/write/patch/delete
// and the sys/ operations the CLI needs). It speaks exactly what the Go `api` package sends.

import type http from 'node:http';
import { ApiError, errorsFromBody } from './api-error.js';
import { isRecord, parseInitResponse, parseKeyStatus, parseLeaderStatus, parseMountInfo, parseMountMap, parseSealStatus, parseSecret, str } from './parse.js';
import type { Json } from './parse.js';
import { applyQuery, createTransport, escapePath } from './transport.js';
import type { Query, RawResponse } from './transport.js';
import type {
  HealthResult,
  InitRequest,
  InitResponse,
  KeyStatus,
  LeaderStatus,
  MountInfo,
  MountInput,
  RemountResult,
  SealStatus,
  TuneInput,
  VaultSecret,
} from './types.js';

export interface ApiClientOptions {
  /** Base address, e.g. `https://127.0.0.1:8200`; a trailing slash or `/v1` is not needed. */
  address: string;
  token?: string;
  /** PEM CA bundle (contents, not a path) trusted for https addresses. */
  caCert?: string | Buffer;
  skipVerify?: boolean;
  namespace?: string;
  /** Per-request timeout; default 60 s like the Go client. */
  timeoutMs?: number;
  /** Sent as X-Vault-Wrap-TTL on every request (response wrapping, section 1.12), verbatim. */
  wrapTTL?: string;
}

export interface RequestOptions {
  /** Serialised as JSON. */
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  /** Overrides the client's wrapTTL for this request; '' sends no X-Vault-Wrap-TTL. */
  wrapTTL?: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export interface ApiClient {
  readonly address: string;
  token: string | undefined;
  /** X-Vault-Wrap-TTL for every request while set (may be changed between requests). */
  wrapTTL: string | undefined;
  /**
   * Sends one request to `/v1/<path>` and returns whatever came back, without treating any
   * status as an error. Rejects with ApiError(status 0) on connection errors and timeouts.
   */
  request(method: string, path: string, opts?: RequestOptions): Promise<ApiResponse>;

  /** GET; undefined on a 404 without data or warnings. */
  read(path: string, query?: Query): Promise<VaultSecret | undefined>;
  /** GET ?list=true (as the Go client does); undefined on a 404 without data or warnings. */
  list(path: string): Promise<VaultSecret | undefined>;
  /** PUT JSON; undefined on 204. */
  write(path: string, data: Record<string, unknown>): Promise<VaultSecret | undefined>;
  /** PATCH with `application/merge-patch+json`; undefined on 204. */
  patch(path: string, data: Record<string, unknown>): Promise<VaultSecret | undefined>;
  /** DELETE; undefined on 204 or an empty 404. */
  delete(path: string, query?: Query): Promise<VaultSecret | undefined>;
  /**
   * PUT sys/wrapping/unwrap, as the Go client does: without `wrappingToken` (or when it equals the
   * client token) the client token is the wrapping token and no body is sent; with no client
   * token it is sent as X-Vault-Token; otherwise it goes in the body as `{"token": …}`.
   * undefined when the wrapped response had no content.
   */
  unwrap(wrappingToken?: string): Promise<VaultSecret | undefined>;

  initStatus(): Promise<boolean>;
  init(req: InitRequest): Promise<InitResponse>;
  sealStatus(): Promise<SealStatus>;
  unseal(key: string | { reset: true }): Promise<SealStatus>;
  seal(): Promise<void>;
  stepDown(): Promise<void>;
  leader(): Promise<LeaderStatus>;
  /** Never throws on the informational status codes (429, 472, 473, 501, 503…): they are the answer. */
  health(query?: Query): Promise<HealthResult>;
  keyStatus(): Promise<KeyStatus>;
  rotate(): Promise<void>;
  listMounts(): Promise<Record<string, MountInfo>>;
  enableMount(path: string, input: MountInput): Promise<void>;
  disableMount(path: string): Promise<void>;
  readMountTune(path: string): Promise<Record<string, unknown>>;
  tuneMount(path: string, input: TuneInput): Promise<VaultSecret | undefined>;
  /** POST sys/remount; returns the migration id (empty when the server sent none). */
  remount(from: string, to: string): Promise<RemountResult>;
  listAuth(): Promise<Record<string, MountInfo>>;
  enableAuth(path: string, input: MountInput): Promise<void>;
  disableAuth(path: string): Promise<void>;
  readAuthTune(path: string): Promise<Record<string, unknown>>;
  tuneAuth(path: string, input: TuneInput): Promise<VaultSecret | undefined>;
  /** GET sys/internal/ui/mounts/<path>: the mount serving `path`, with `path` set to its mount point. */
  uiMount(path: string): Promise<MountInfo>;

  /** Destroys idle keep-alive sockets. */
  close(): void;
}

/** Creates a client for the server at `opts.address`. Errors are ApiError (exported from index). */
export function createApiClient(opts: ApiClientOptions): ApiClient {
  const base = new URL(opts.address.replace(/\/+$/, '').replace(/\/v1$/, '') + '/');
  const transport = createTransport({
    baseUrl: base,
    timeoutMs: opts.timeoutMs ?? 60_000,
    ...(opts.caCert !== undefined ? { caCert: opts.caCert } : {}),
    ...(opts.skipVerify !== undefined ? { skipVerify: opts.skipVerify } : {}),
  });

  function urlFor(path: string, query: Query | undefined): URL {
    const clean = path.replace(/^\/+/, '').replace(/^v1\//, '');
    const url = new URL(base.pathname + 'v1/' + escapePath(clean), base);
    applyQuery(url, query);
    return url;
  }

  async function request(method: string, path: string, ro: RequestOptions = {}): Promise<ApiResponse> {
    const url = urlFor(path, ro.query);
    const headers: Record<string, string> = { 'X-Vault-Request': 'true', Accept: 'application/json' };
    if (client.token !== undefined && client.token !== '') headers['X-Vault-Token'] = client.token;
    if (opts.namespace !== undefined && opts.namespace !== '') headers['X-Vault-Namespace'] = opts.namespace;
    const wrapTTL = ro.wrapTTL ?? client.wrapTTL;
    if (wrapTTL !== undefined && wrapTTL !== '') headers['X-Vault-Wrap-TTL'] = wrapTTL;
    let body: Buffer | undefined;
    if (ro.body !== undefined) {
      body = Buffer.from(JSON.stringify(ro.body), 'utf8');
      headers['Content-Type'] = 'application/json';
    }
    Object.assign(headers, ro.headers);
    const res: RawResponse = await transport.send(method.toUpperCase(), url, headers, body);
    return res;
  }

  function fail(method: string, path: string, query: Query | undefined, res: ApiResponse): ApiError {
    return new ApiError({
      status: res.status,
      errors: errorsFromBody(res.body),
      method: method.toUpperCase(),
      url: urlFor(path, query).toString(),
      body: res.body,
    });
  }

  /** Sends and throws ApiError on status ≥ 400 (except the statuses in `allow`). */
  async function call(method: string, path: string, ro: RequestOptions = {}, allow: number[] = []): Promise<ApiResponse> {
    const res = await request(method, path, ro);
    if (res.status >= 400 && !allow.includes(res.status)) throw fail(method, path, ro.query, res);
    return res;
  }

  /** The Go client's 404 rule: a 404 body with data or warnings is still a result; any other 404 is "nothing there". */
  async function logical(method: string, path: string, ro: RequestOptions = {}): Promise<VaultSecret | undefined> {
    const res = await call(method, path, ro, [404]);
    if (res.status === 404) {
      if (isRecord(res.body) && (isRecord(res.body['data']) || Array.isArray(res.body['warnings']))) return parseSecret(res.body);
      return undefined;
    }
    return parseSecret(res.body);
  }

  async function rawObject(method: string, path: string, ro: RequestOptions = {}): Promise<Json> {
    const res = await call(method, path, ro);
    if (!isRecord(res.body)) {
      throw new ApiError({
        status: res.status,
        errors: ['response body is not a JSON object'],
        method,
        url: urlFor(path, ro.query).toString(),
        body: res.body,
      });
    }
    return res.body;
  }

  /** Data of a sys response; falls back to the top-level copy that old servers inject. */
  async function sysData(method: string, path: string, ro: RequestOptions = {}): Promise<Json> {
    const body = await rawObject(method, path, ro);
    return isRecord(body['data']) ? body['data'] : body;
  }

  const trim = (p: string): string => p.replace(/^\/+/, '').replace(/\/+$/, '');

  const client: ApiClient = {
    address: base.toString().replace(/\/$/, ''),
    token: opts.token,
    wrapTTL: opts.wrapTTL,
    request,
    read: (path, query) => logical('GET', path, query !== undefined ? { query } : {}),
    list: (path) => logical('GET', path, { query: { list: 'true' } }),
    write: (path, data) => logical('PUT', path, { body: data }),
    patch: (path, data) =>
      logical('PATCH', path, { body: data, headers: { 'Content-Type': 'application/merge-patch+json' } }),
    delete: (path, query) => logical('DELETE', path, query !== undefined ? { query } : {}),
    unwrap(wrappingToken) {
      const wt = wrappingToken?.trim() ?? '';
      const current = client.token ?? '';
      if (wt === '' || wt === current) return logical('PUT', 'sys/wrapping/unwrap');
      if (current === '') return logical('PUT', 'sys/wrapping/unwrap', { headers: { 'X-Vault-Token': wt } });
      return logical('PUT', 'sys/wrapping/unwrap', { body: { token: wt } });
    },

    async initStatus() {
      return (await rawObject('GET', 'sys/init'))['initialized'] === true;
    },
    async init(req) {
      return parseInitResponse(await rawObject('PUT', 'sys/init', { body: req }));
    },
    async sealStatus() {
      return parseSealStatus(await rawObject('GET', 'sys/seal-status'));
    },
    async unseal(key) {
      const body = typeof key === 'string' ? { key } : { reset: true };
      return parseSealStatus(await rawObject('PUT', 'sys/unseal', { body }));
    },
    async seal() {
      await call('PUT', 'sys/seal');
    },
    async stepDown() {
      await call('PUT', 'sys/step-down');
    },
    async leader() {
      return parseLeaderStatus(await rawObject('GET', 'sys/leader'));
    },
    async health(query) {
      const res = await request('GET', 'sys/health', query !== undefined ? { query } : {});
      if (res.status >= 400 && !isRecord(res.body)) throw fail('GET', 'sys/health', query, res);
      if (isRecord(res.body) && errorsFromBody(res.body).length > 0) throw fail('GET', 'sys/health', query, res);
      return { status: res.status, body: isRecord(res.body) ? res.body : {} };
    },
    async keyStatus() {
      return parseKeyStatus(await sysData('GET', 'sys/key-status'));
    },
    async rotate() {
      await call('PUT', 'sys/rotate');
    },
    async listMounts() {
      return parseMountMap(await sysData('GET', 'sys/mounts'));
    },
    async enableMount(path, input) {
      await call('POST', `sys/mounts/${trim(path)}`, { body: input });
    },
    async disableMount(path) {
      await call('DELETE', `sys/mounts/${trim(path)}`);
    },
    async readMountTune(path) {
      return sysData('GET', `sys/mounts/${trim(path)}/tune`);
    },
    async tuneMount(path, input) {
      return logical('POST', `sys/mounts/${trim(path)}/tune`, { body: input });
    },
    async remount(from, to) {
      const res = await call('POST', 'sys/remount', { body: { from: trim(from), to: trim(to) } });
      const secret = parseSecret(res.body);
      return { migration_id: secret?.data ? str(secret.data, 'migration_id') : '' };
    },
    async listAuth() {
      return parseMountMap(await sysData('GET', 'sys/auth'));
    },
    async enableAuth(path, input) {
      await call('POST', `sys/auth/${trim(path)}`, { body: input });
    },
    async disableAuth(path) {
      await call('DELETE', `sys/auth/${trim(path)}`);
    },
    async readAuthTune(path) {
      return sysData('GET', `sys/auth/${trim(path)}/tune`);
    },
    async tuneAuth(path, input) {
      return logical('POST', `sys/auth/${trim(path)}/tune`, { body: input });
    },
    async uiMount(path) {
      return parseMountInfo(await sysData('GET', `sys/internal/ui/mounts/${trim(path)}`));
    },
    close() {
      transport.close();
    },
  };
  return client;
}
