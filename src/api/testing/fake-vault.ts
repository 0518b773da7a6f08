// A tiny fake Vault HTTP server for tests: records every request and answers canned,
// Vault-shaped responses. Listens on 127.0.0.1 on a random port.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path after `/v1/`, not decoded further, no query (e.g. `secret/foo`). */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, the raw text if not JSON, undefined if empty. */
  body: unknown;
  rawBody: string;
}

export interface CannedResponse {
  /** Default 200 with a body, 204 without. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Responder = CannedResponse | ((req: RecordedRequest) => CannedResponse);

export interface FakeVault {
  /** Base address, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /**
   * Registers the answer for `METHOD path` (path relative to /v1/). A `GET …?list=true` request
   * first looks for a `LIST` route. Unregistered routes answer 404 `{"errors":[]}`.
   */
  on(method: string, path: string, responder: Responder): void;
  close(): Promise<void>;
}

export async function startFakeVault(): Promise<FakeVault> {
  const routes = new Map<string, Responder>();
  const requests: RecordedRequest[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (rawBody !== '') {
        try {
          body = JSON.parse(rawBody) as unknown;
        } catch {
          body = rawBody;
        }
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname.replace(/^\/v1\//, ''),
        query: Object.fromEntries(url.searchParams.entries()),
        headers: req.headers,
        body,
        rawBody,
      };
      requests.push(recorded);
      const isList = recorded.method === 'GET' && recorded.query['list'] === 'true';
      const responder =
        (isList ? routes.get(`LIST ${recorded.path}`) : undefined) ?? routes.get(`${recorded.method} ${recorded.path}`);
      const canned: CannedResponse =
        responder === undefined ? { status: 404, body: { errors: [] } } : typeof responder === 'function' ? responder(recorded) : responder;
      const status = canned.status ?? (canned.body === undefined ? 204 : 200);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...canned.headers });
      res.end(canned.body === undefined ? undefined : typeof canned.body === 'string' ? canned.body : JSON.stringify(canned.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(method, path, responder) {
      routes.set(`${method.toUpperCase()} ${path.replace(/^\/+/, '')}`, responder);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

/** A Vault response envelope around `data` (section 1.6), with optional overrides. */
export function envelope(data: Record<string, unknown> | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    request_id: '00000000-0000-0000-0000-000000000001',
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
    mount_type: '',
    ...extra,
  };
}
