// The API proxy: local listeners (listener "tcp"/"unix") that forward every request to Vault,
// adding the auto-auth token when use_auto_auth_token says so, so applications can call Vault
// through the agent without holding a token. Also serves POST /agent/v1/quit when enabled.

import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../shared/index.js';
import { createListAwareServer, requestMethod } from '../../shared/index.js';
import type { ListenerConfig, UseAutoAuthToken } from '../config/types.js';
import type { VaultConnection } from '../vault-connection.js';

export interface ApiProxyOptions {
  listeners: readonly ListenerConfig[];
  conn: VaultConnection;
  /** The current auto-auth token. */
  token: () => string | undefined;
  useAutoAuthToken: UseAutoAuthToken;
  logger: Logger;
  /** Called for POST /agent/v1/quit on a listener with agent_api.enable_quit. */
  onQuit?: () => void;
  /** vault.retry.num_retries: 412 and 5xx answers (except 501) and connection errors are retried this often. */
  numRetries?: number;
  /** Wait between retries (Vault's client waits 1–1.5 s). */
  retryDelayMs?: number;
}

export interface ApiProxy {
  /** Listens on every listener; resolves with the bound addresses (`host:port` or socket path). */
  start(): Promise<string[]>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

/** The headers to send upstream: hop-by-hop headers dropped, the token added or replaced per `mode`. */
export function upstreamHeaders(incoming: http.IncomingHttpHeaders, mode: UseAutoAuthToken, token: string | undefined): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(incoming)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  const hasToken = typeof incoming['x-vault-token'] === 'string' && incoming['x-vault-token'] !== '';
  if (token !== undefined && token !== '' && (mode === 'force' || (mode === true && !hasToken))) out['x-vault-token'] = token;
  return out;
}

export function createApiProxy(opts: ApiProxyOptions): ApiProxy {
  const log = opts.logger.child({ component: 'api.proxy' });
  const servers: http.Server[] = [];
  const target = new URL(opts.conn.address + '/');
  const lib = target.protocol === 'https:' ? https : http;

  const numRetries = opts.numRetries ?? 0;
  const maxBufferedBody = 32 * 1024 * 1024;

  /** Retryable like Vault's proxy: 412 (a standby not caught up) and server errors other than 501. */
  const retryable = (status: number): boolean => status === 412 || (status >= 500 && status !== 501);

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const method = requestMethod(req);
    const path = target.pathname.replace(/\/$/, '') + (req.url ?? '/');
    const headers = upstreamHeaders(req.headers, opts.useAutoAuthToken, opts.token());
    if (opts.conn.namespace !== undefined && headers['x-vault-namespace'] === undefined) headers['x-vault-namespace'] = opts.conn.namespace;
    // The body is buffered so that a retried request can be sent again.
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBufferedBody) {
        req.destroy();
        reply(res, 413, 'request body too large for the agent proxy');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      headers['content-length'] = String(body.length);
      attempt(0);
      function attempt(n: number): void {
        const retry = (why: string): boolean => {
          if (n >= numRetries || res.destroyed) return false;
          log.debug({ path: req.url, attempt: n + 1, why }, 'retrying proxied request');
          setTimeout(() => attempt(n + 1), opts.retryDelayMs ?? 1000);
          return true;
        };
        const up = lib.request(
          { ...opts.conn.requestOptions, protocol: target.protocol, hostname: target.hostname, port: target.port, method, path, headers },
          (upRes) => {
            const status = upRes.statusCode ?? 502;
            if (retryable(status) && retry(`status ${status}`)) {
              upRes.resume();
              return;
            }
            const out: http.OutgoingHttpHeaders = {};
            for (const [k, v] of Object.entries(upRes.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
            res.writeHead(status, out);
            upRes.pipe(res);
          },
        );
        up.on('error', (e) => {
          if (retry(e.message)) return;
          log.warn({ error: e.message, path: req.url }, 'error forwarding request to Vault');
          if (!res.headersSent) reply(res, 502, `error proxying request: ${e.message}`);
          else res.destroy();
        });
        up.end(body);
      }
    });
  }

  function reply(res: ServerResponse, status: number, error: string): void {
    if (res.headersSent) return;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ errors: [error] }));
  }

  function handler(l: ListenerConfig): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      const url = req.url ?? '/';
      if (l.requireRequestHeader && req.headers['x-vault-request'] !== 'true') {
        res.writeHead(412, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: ['missing X-Vault-Request header'] }));
        return;
      }
      if (url.split('?')[0] === '/agent/v1/quit') {
        if (!l.enableQuit || (req.method !== 'POST' && req.method !== 'PUT')) {
          res.writeHead(404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ errors: [] }));
          return;
        }
        res.writeHead(200).end();
        opts.onQuit?.();
        return;
      }
      forward(req, res);
    };
  }

  return {
    async start() {
      const addrs: string[] = [];
      for (const l of opts.listeners) {
        const tls = l.tlsDisable ? undefined : { cert: readFileSync(l.tlsCertFile ?? ''), key: readFileSync(l.tlsKeyFile ?? '') };
        const server = createListAwareServer({ requestListener: handler(l), ...(tls !== undefined ? { tls } : {}) });
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          if (l.type === 'unix') {
            rmSync(l.address, { force: true });
            server.listen(l.address, () => resolve());
          } else {
            const m = /^(.*):(\d+)$/.exec(l.address);
            const host = (m?.[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
            server.listen(Number(m?.[2] ?? 8200), host === '' ? '0.0.0.0' : host, () => resolve());
          }
        });
        servers.push(server);
        const a = server.address();
        addrs.push(typeof a === 'string' ? a : `${(a as AddressInfo).address}:${(a as AddressInfo).port}`);
        log.info({ address: addrs[addrs.length - 1] }, 'API proxy listening');
      }
      return addrs;
    },
    async close() {
      await Promise.all(
        servers.splice(0).map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}
