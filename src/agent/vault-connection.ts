// How the agent reaches Vault: the address and TLS settings resolved from the `vault` block and
// the VAULT_* environment (env wins, as in Vault), and a requester that returns the body text
// (templates need JSON numbers as written). vaultCall adds JSON parsing and Vault's error rule.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { ApiError } from '../api/index.js';
import type { Env } from '../api/index.js';
import { parseGoBool } from '../shared/index.js';
import type { VaultConnectionConfig } from './config/types.js';

export interface RawVaultResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface RawRequestOptions {
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface VaultConnection {
  /** e.g. `http://127.0.0.1:8200`, no trailing slash. */
  readonly address: string;
  readonly namespace: string | undefined;
  /** node:http(s) options for forwarding requests (agent, CA, SNI). */
  readonly requestOptions: https.RequestOptions;
  /**
   * Sends `METHOD /v1/<path>` and returns the status and the body text. `path` may carry a
   * query (`secret/data/app?version=2`). Rejects with ApiError(status 0) when no response came.
   */
  raw(method: string, path: string, opts?: RawRequestOptions): Promise<RawVaultResponse>;
  close(): void;
}

/**
 * Resolves the connection settings: VAULT_ADDR, VAULT_CACERT, VAULT_CAPATH, VAULT_SKIP_VERIFY,
 * VAULT_NAMESPACE, VAULT_TLS_SERVER_NAME, VAULT_CLIENT_CERT/KEY override the config. Throws when a
 * CA or client certificate file cannot be read.
 */
export function createVaultConnection(cfg: VaultConnectionConfig, env: Env = process.env): VaultConnection {
  const address = (nonEmpty(env['VAULT_ADDR']) ?? cfg.address ?? 'https://127.0.0.1:8200').replace(/\/+$/, '');
  const caFile = nonEmpty(env['VAULT_CACERT']) ?? nonEmpty(cfg.caCert);
  const caDir = nonEmpty(env['VAULT_CAPATH']) ?? nonEmpty(cfg.caPath);
  const caCert = caFile !== undefined ? readFileSync(caFile) : caDir !== undefined ? readCaDir(caDir) : undefined;
  const skipEnv = nonEmpty(env['VAULT_SKIP_VERIFY']);
  const skipVerify = skipEnv !== undefined ? parseGoBool(skipEnv) === true : cfg.tlsSkipVerify === true;
  const namespace = nonEmpty(env['VAULT_NAMESPACE']) ?? nonEmpty(cfg.namespace);
  const serverName = nonEmpty(env['VAULT_TLS_SERVER_NAME']) ?? nonEmpty(cfg.tlsServerName);
  const clientCert = nonEmpty(env['VAULT_CLIENT_CERT']) ?? cfg.clientCert;
  const clientKey = nonEmpty(env['VAULT_CLIENT_KEY']) ?? cfg.clientKey;
  const base = new URL(address + '/');
  const isHttps = base.protocol === 'https:';
  const tlsOpts: https.AgentOptions = {
    keepAlive: true,
    rejectUnauthorized: !skipVerify,
    ...(caCert !== undefined ? { ca: caCert } : {}),
    ...(serverName !== undefined ? { servername: serverName } : {}),
    ...(clientCert !== undefined && clientKey !== undefined ? { cert: readFileSync(clientCert), key: readFileSync(clientKey) } : {}),
  };
  const agent = isHttps ? new https.Agent(tlsOpts) : new http.Agent({ keepAlive: true });

  return {
    address,
    namespace,
    requestOptions: { agent, ...(isHttps ? tlsOpts : {}) },
    raw(method, path, opts = {}) {
      const url = new URL(base.pathname.replace(/\/$/, '') + '/v1/' + path.replace(/^\/+/, ''), base);
      const headers: Record<string, string> = { 'X-Vault-Request': 'true', Accept: 'application/json', ...opts.headers };
      if (opts.token !== undefined && opts.token !== '') headers['X-Vault-Token'] = opts.token;
      if (namespace !== undefined) headers['X-Vault-Namespace'] = namespace;
      const body = opts.body !== undefined ? Buffer.from(JSON.stringify(opts.body), 'utf8') : undefined;
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = String(body.length);
      }
      return new Promise((resolve, reject) => {
        const lib = isHttps ? https : http;
        const req = lib.request(url, { method, headers, agent, timeout: 60_000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(connError(method, url, e.message)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('timeout', () => req.destroy(new Error('request timed out after 60s')));
        req.on('error', (e) => reject(connError(method, url, e.message)));
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** Every regular file of a CA directory (ca_path / VAULT_CAPATH), concatenated as one PEM bundle. */
function readCaDir(dir: string): Buffer {
  const files = readdirSync(dir)
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
  return Buffer.concat(files.map((f) => Buffer.concat([readFileSync(f), Buffer.from('\n')])));
}

function connError(method: string, url: URL, cause: string): ApiError {
  return new ApiError({ status: 0, errors: [], method, url: url.toString(), cause });
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** A parsed JSON object response. */
export type JsonObject = Record<string, unknown>;

/**
 * Sends a request and parses the JSON body; {} for an empty body (204). Throws ApiError for
 * statuses ≥ 400 (with the server's `errors`) and for bodies that are not JSON objects.
 */
export async function vaultCall(conn: VaultConnection, method: string, path: string, opts: RawRequestOptions = {}): Promise<JsonObject> {
  const res = await conn.raw(method, path, opts);
  let body: unknown = {};
  if (res.text.trim() !== '') {
    try {
      body = JSON.parse(res.text) as unknown;
    } catch {
      body = res.text;
    }
  }
  const url = `${conn.address}/v1/${path}`;
  if (res.status >= 400) throw new ApiError({ status: res.status, errors: errorsOf(body), method, url, body });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError({ status: res.status, errors: ['response body is not a JSON object'], method, url, body });
  }
  return body as JsonObject;
}

function errorsOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const e = (body as JsonObject)['errors'];
  return Array.isArray(e) ? e.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [];
}
