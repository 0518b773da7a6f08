// HTTP transport for the API client: one keep-alive agent per client, JSON in and out, redirects
// followed like the Go client (301/302/307 re-sent with the same method and body).

import http from 'node:http';
import https from 'node:https';
import { ApiError } from './api-error.js';

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RawResponse {
  status: number;
  /** Parsed JSON when the body is JSON, the text when it is not, undefined when empty. */
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export interface TransportOptions {
  baseUrl: URL;
  caCert?: string | Buffer;
  skipVerify?: boolean;
  timeoutMs: number;
}

export interface Transport {
  send(method: string, url: URL, headers: Record<string, string>, body: Buffer | undefined): Promise<RawResponse>;
  close(): void;
}

const maxRedirects = 5;

/** Creates a transport; `close()` destroys the keep-alive sockets so processes can exit. */
export function createTransport(opts: TransportOptions): Transport {
  const isHttps = opts.baseUrl.protocol === 'https:';
  const agent = isHttps
    ? new https.Agent({
        keepAlive: true,
        ...(opts.caCert !== undefined ? { ca: opts.caCert } : {}),
        rejectUnauthorized: opts.skipVerify !== true,
      })
    : new http.Agent({ keepAlive: true });

  function once(method: string, url: URL, headers: Record<string, string>, body: Buffer | undefined): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const lib = url.protocol === 'https:' ? https : http;
      const fail = (cause: string): void =>
        reject(new ApiError({ status: 0, errors: [], method, url: url.toString(), cause }));
      const req = lib.request(
        url,
        {
          method,
          headers: body !== undefined ? { ...headers, 'Content-Length': String(body.length) } : headers,
          // A redirect to another scheme cannot reuse the agent; Node then uses its global one.
          ...(url.protocol === opts.baseUrl.protocol ? { agent } : {}),
          timeout: opts.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => fail(e.message));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: parseBody(text), headers: res.headers });
          });
        },
      );
      req.on('timeout', () => {
        req.destroy();
        fail(`request timed out after ${opts.timeoutMs}ms`);
      });
      req.on('error', (e) => fail(e.message));
      req.end(body);
    });
  }

  return {
    async send(method, url, headers, body) {
      let current = url;
      for (let i = 0; ; i++) {
        const res = await once(method, current, headers, body);
        const location = res.headers.location;
        if ((res.status === 301 || res.status === 302 || res.status === 307) && location !== undefined && i < maxRedirects) {
          current = new URL(location, current);
          continue;
        }
        return res;
      }
    },
    close() {
      agent.destroy();
    },
  };
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Appends query parameters; arrays repeat the key, undefined values are skipped. */
export function applyQuery(url: URL, query: Query | undefined): void {
  if (query === undefined) return;
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v as readonly string[]) url.searchParams.append(k, item);
    else url.searchParams.append(k, String(v));
  }
}

/** Escapes each path segment like Go's URL.EscapedPath (keeps `/` and sub-delims readable). */
export function escapePath(path: string): string {
  return path
    .split('/')
    .map((seg) =>
      encodeURIComponent(seg).replace(/%(21|24|26|27|28|29|2A|2B|2C|3B|3D|3A|40)/gi, (m) => decodeURIComponent(m)),
    )
    .join('/');
}
