// Outbound HTTPS/HTTP calls auth methods make to their peers (JWKS, OIDC discovery, TokenReview),
// with an optional CA bundle, a timeout and a body-size cap. node:https rather than fetch because
// a per-call CA must not leak into the process-wide trust store.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** JSON-encoded and sent with content-type application/json. */
  body?: unknown;
  /** PEM bundle trusted for this call instead of the system roots. */
  caPem?: string;
  /** ms; default 10 s. */
  timeoutMs?: number;
  /** bytes; default 4 MiB. */
  maxBytes?: number;
}

export interface OutboundResponse {
  status: number;
  /** Parsed JSON body, or undefined when it was empty or not JSON. */
  json: unknown;
  text: string;
}

/**
 * Sends one request and resolves with the status and body whatever the status; rejects on
 * network or TLS failure, timeout or an over-large body (the message names the URL's origin only).
 */
export function fetchJson(url: string, opts: OutboundRequest = {}): Promise<OutboundResponse> {
  const u = new URL(url);
  const payload = opts.body !== undefined ? JSON.stringify(opts.body) : undefined;
  const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  const maxBytes = opts.maxBytes ?? 4 * 1024 * 1024;
  const send = u.protocol === 'https:' ? httpsRequest : u.protocol === 'http:' ? httpRequest : undefined;
  if (send === undefined) return Promise.reject(new Error(`unsupported URL scheme ${JSON.stringify(u.protocol)}`));
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: opts.method ?? 'GET',
        headers,
        timeout: opts.timeoutMs ?? 10_000,
        ...(opts.caPem !== undefined && opts.caPem !== '' ? { ca: opts.caPem } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy(new Error(`response from ${u.origin} exceeds ${maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : (JSON.parse(text) as unknown);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${u.origin} timed out`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
