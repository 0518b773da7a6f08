// A minimal node:http client for setting up scenarios and sampling responses. It sends exactly
// what the load generator sends (no Accept-Encoding), so sampled sizes match measured responses.
import { request as httpRequest } from 'node:http';

/** A request as scenarios describe it; `path` includes the query string. */
export interface BenchRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpReply {
  readonly status: number;
  /** Response headers, lower-case names; repeated headers are joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Sends one request to 127.0.0.1:`port`; rejects on a socket error or after `timeoutMs`. */
export function sendRequest(port: number, req: BenchRequest, timeoutMs = 10_000): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const r = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.path, headers, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          }
          resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) });
        });
      },
    );
    r.on('timeout', () => r.destroy(new Error(`${req.method} ${req.path} timed out after ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** What a scenario's setup may use: the target's port, the root token and request helpers. */
export interface BenchClient {
  readonly port: number;
  readonly token: string;
  /** Sends a request as given (add X-Vault-Token yourself). */
  send(req: BenchRequest): Promise<HttpReply>;
  /**
   * Sends `body` as JSON with the root token and returns the parsed JSON reply (undefined for an
   * empty body). Throws an Error naming the request, status and body when the status is not 2xx.
   */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
}

export function createBenchClient(port: number, token: string): BenchClient {
  return {
    port,
    token,
    send: (req) => sendRequest(port, req),
    async call(method, path, body) {
      const req: BenchRequest = {
        method,
        path,
        headers: { 'x-vault-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      };
      const reply = await sendRequest(port, req);
      const text = reply.body.toString('utf8');
      if (reply.status < 200 || reply.status > 299) {
        throw new Error(`setup request ${method} ${path} answered ${reply.status}: ${text.slice(0, 500)}`);
      }
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    },
  };
}
