// A scripted stand-in for Vault on 127.0.0.1 for agent tests: routes answer with canned JSON and
// every request is recorded (method, path, token, body).

import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createListAwareServer, requestMethod } from '../../shared/index.js';

export interface RecordedRequest {
  method: string;
  /** Path without `/v1/`, query included. */
  path: string;
  token: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface FakeReply {
  status?: number;
  body?: unknown;
  /** Raw body text (overrides body), e.g. to test number formatting. */
  text?: string;
}

export type FakeRoute = (req: RecordedRequest) => FakeReply | undefined;

export interface FakeVault {
  url: string;
  requests: RecordedRequest[];
  /** Routes are tried newest first; the first defined reply wins; otherwise 404. */
  route(method: string, path: string | RegExp, reply: FakeReply | FakeRoute): void;
  /** Resolves when a request matching the predicate has been recorded (checked on every request). */
  waitFor(pred: (r: RecordedRequest) => boolean): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export async function startFakeVault(): Promise<FakeVault> {
  const routes: { method: string; path: string | RegExp; reply: FakeReply | FakeRoute }[] = [];
  const requests: RecordedRequest[] = [];
  const waiters: { pred: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  const server = createListAwareServer({ requestListener: (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        body = text;
      }
      const token = req.headers['x-vault-token'];
      const rec: RecordedRequest = {
        method: requestMethod(req),
        path: (req.url ?? '').replace(/^\/v1\//, ''),
        token: typeof token === 'string' ? token : undefined,
        headers: req.headers,
        body,
      };
      requests.push(rec);
      let reply: FakeReply | undefined;
      for (let i = routes.length - 1; i >= 0 && reply === undefined; i--) {
        const r = routes[i];
        if (r === undefined || r.method !== rec.method) continue;
        const pathOnly = rec.path.split('?')[0] ?? '';
        if (typeof r.path === 'string' ? r.path !== pathOnly : !r.path.test(pathOnly)) continue;
        reply = typeof r.reply === 'function' ? r.reply(rec) : r.reply;
      }
      reply ??= { status: 404, body: { errors: [] } };
      const out = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json' });
      res.end(out);
      for (const w of waiters.splice(0)) {
        if (w.pred(rec)) w.resolve(rec);
        else waiters.push(w);
      }
    });
  } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(method, path, reply) {
      routes.push({ method, path, reply });
    },
    waitFor(pred) {
      const found = requests.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A login reply as Vault sends it. */
export function loginReply(token: string, ttl: number, renewable = true): FakeReply {
  return { body: { request_id: 'r', lease_id: '', renewable: false, lease_duration: 0, data: null, auth: { client_token: token, accessor: 'acc', policies: ['default'], lease_duration: ttl, renewable } } };
}
