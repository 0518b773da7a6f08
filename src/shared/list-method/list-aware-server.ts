// A node:http / node:https server that accepts Vault's `LIST` method. llhttp rejects unknown
// methods, so each connection's bytes pass through a rewriter (LIST → LINK, same length) before
// the parser, and the request listener learns which LINK requests were really LIST.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createListRewriter, DEFAULT_MAX_HEAD_BYTES } from './list-method-rewriter.js';
import type { ListRewriter } from './list-method-rewriter.js';

export interface ListAwareServerOptions {
  tls?: { cert: Buffer | string; key: Buffer | string };
  requestListener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Passed to Node's parser (default 16 KiB); the rewriter's own head bound is at least 64 KiB. */
  maxHeaderSize?: number;
}

const listRequests = new WeakSet<IncomingMessage>();
const rewriters = new WeakMap<object, ListRewriter>();

/**
 * The method the client sent: 'LIST' for requests that arrived as LIST through a server made by
 * createListAwareServer, otherwise `req.method` (empty string if Node gave none).
 */
export function requestMethod(req: IncomingMessage): string {
  return listRequests.has(req) ? 'LIST' : (req.method ?? '');
}

/** Pairs a request that reached the parser as LINK with its flag from the connection's FIFO. */
function tag(req: IncomingMessage): void {
  if (req.method !== 'LINK') return;
  const rw = rewriters.get(req.socket);
  if (rw?.shiftLinkFlag() === true) listRequests.add(req);
}

/**
 * Creates (does not listen) an HTTP or HTTPS server whose request listener sees LIST requests as
 * `req.method === 'LINK'` with `requestMethod(req) === 'LIST'`. Genuine LINK requests keep
 * `requestMethod(req) === 'LINK'`. Everything else behaves like a plain node:http server.
 */
export function createListAwareServer(opts: ListAwareServerOptions): http.Server | https.Server {
  const maxHeadBytes = Math.max(DEFAULT_MAX_HEAD_BYTES, (opts.maxHeaderSize ?? 0) + 1024);
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    tag(req);
    opts.requestListener(req, res);
  };
  const serverOpts: http.ServerOptions = opts.maxHeaderSize === undefined ? {} : { maxHeaderSize: opts.maxHeaderSize };
  const server = opts.tls
    ? https.createServer({ ...serverOpts, cert: opts.tls.cert, key: opts.tls.key }, listener)
    : http.createServer(serverOpts, listener);
  // Requests Node answers itself must still consume their flag, or later ones would be misread.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    tag(req);
    res.writeHead(417, { 'Content-Length': 0 });
    res.end();
  });
  server.on('dropRequest', (req: IncomingMessage) => tag(req));

  // https.Server runs its HTTP connection listener on 'secureConnection', http.Server on 'connection'.
  const event = opts.tls ? 'secureConnection' : 'connection';
  hookBeforeParser(server, event, maxHeadBytes);
  return server;
}

/**
 * Rewrites each read buffer in place from a 'data' listener that runs before Node's own (the
 * parser then sees the same, rewritten Buffer). Node normally lets llhttp read the TCP handle
 * directly, with no 'data' events; marking the handle as already consumed (an undocumented but
 * long-standing flag, checked by the tests) makes the server fall back to 'data' events.
 * Losing that direct read is most of the cost (≈2.5 µs CPU per request, measured); the rewriter
 * adds well under 1 µs. A wrapping Duplex handed to Node's connection listener measured the same,
 * but this way `req.socket` stays the real socket (remoteAddress, TLS details, timeouts).
 */
function hookBeforeParser(server: http.Server, event: string, maxHeadBytes: number): void {
  server.prependListener(event, (socket: Socket) => {
    const rw = createListRewriter({ maxHeadBytes });
    rewriters.set(socket, rw);
    const handle = (socket as unknown as { _handle?: { _consumed?: boolean } | null })._handle;
    if (handle) handle._consumed = true;
    socket.prependListener('data', (chunk: Buffer) => rw.process(chunk));
  });
}
