// The HTTP request handler: turns a Vault-API HTTP request into a core call and the result back
// into Vault's wire format. The only layer that knows HTTP.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core, LogicalRequest, RequestOperation } from '../core/index.js';
import type { Logger } from '../shared/index.js';
import { CofferError, parseDurationSeconds, parseGoBool, toCofferError } from '../shared/index.js';
import { envelopeJson, injectsTopLevel } from './envelope.js';
import { requestMethod } from '../shared/index.js';
import { parseBodyData, parseQueryData, readBody } from './request-body.js';
import { decodeRequestPath } from './request-path.js';
import { sendError, sendJson, sendNoContent } from './respond.js';
import { rawRoutes } from './sys-raw.js';

export interface HandlerOptions {
  core: Core;
  logger: Logger;
  /** bytes; Vault's default is 32 MiB */
  maxRequestSize: number;
  /** The listener's `telemetry { unauthenticated_metrics_access = true }`: sys/metrics without a token. */
  unauthenticatedMetrics?: boolean;
}

/** X-Vault-Wrap-TTL in seconds (0 when absent); malformed or negative → 400. */
export function wrapTtlOf(req: IncomingMessage): number {
  const h = req.headers['x-vault-wrap-ttl'];
  if (h === undefined) return 0;
  const v = Array.isArray(h) ? (h[0] ?? '') : h;
  let ttl: number;
  try {
    ttl = parseDurationSeconds(v.trim(), 'X-Vault-Wrap-TTL');
  } catch (e) {
    throw new CofferError('invalid_request', `error parsing X-Vault-Wrap-TTL header: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (ttl < 0) throw new CofferError('invalid_request', 'requested wrap ttl cannot be negative');
  return ttl;
}

/** The client token: X-Vault-Token first, else `Authorization: Bearer <token>`. */
export function clientToken(req: IncomingMessage): string | undefined {
  const h = req.headers['x-vault-token'];
  if (typeof h === 'string' && h !== '') return h;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
    const t = auth.slice(7).trim();
    return t === '' ? undefined : t;
  }
  return undefined;
}

function checkNamespace(req: IncomingMessage): void {
  const ns = req.headers['x-vault-namespace'];
  if (ns === undefined) return;
  const v = (Array.isArray(ns) ? ns.join('') : ns).replace(/^\/+|\/+$/g, '');
  if (v !== '' && v !== 'root') throw new CofferError('invalid_request', `namespace "${v}" does not exist; this server has only the root namespace`);
}

function operationFor(method: string, query: URLSearchParams | undefined): RequestOperation {
  switch (method) {
    case 'GET': {
      if (query === undefined) return 'read';
      const list = query.get('list');
      if (list === null || list === '') return 'read';
      const b = parseGoBool(list);
      if (b === undefined) throw new CofferError('invalid_request', `invalid value for "list": ${JSON.stringify(list)}`);
      return b ? 'list' : 'read';
    }
    case 'LIST':
      return 'list';
    case 'POST':
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      throw new CofferError('unsupported_operation', 'unsupported operation');
  }
}

/** Runs `fn` when the request body has been fully discarded, or discarding stopped (paused). */
function afterBodyDiscarded(req: IncomingMessage, fn: () => void): void {
  if (req.readableEnded || req.destroyed || req.isPaused()) {
    fn();
    return;
  }
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    req.off('end', once);
    req.off('close', once);
    req.off('pause', once);
    fn();
  };
  req.on('end', once);
  req.on('close', once);
  req.on('pause', once);
}

export function createRequestHandler(opts: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { core, logger, maxRequestSize } = opts;

  const body = async (req: IncomingMessage): Promise<Record<string, unknown> | undefined> =>
    parseBodyData(await readBody(req, maxRequestSize), req.headers['content-type']);

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = requestMethod(req);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    // Most requests carry no query string: skip building (and later walking) URLSearchParams.
    const query = q === -1 ? undefined : new URLSearchParams(url.slice(q + 1));
    if (!rawPath.startsWith('/v1/')) throw new CofferError('not_found', '');
    const path = decodeRequestPath(rawPath.slice(4));
    checkNamespace(req);
    const token = clientToken(req);

    const raw = rawRoutes.get(path.endsWith('/') ? path.slice(0, -1) : path);
    if (raw) {
      await raw(core, { method, query: query ?? new URLSearchParams(), body: () => body(req), token, unauthenticatedMetrics: opts.unauthenticatedMetrics === true }, res, req);
      return;
    }

    const operation = operationFor(method, query);
    let data: Record<string, unknown> | undefined;
    let logicalPath = path;
    if (operation === 'update' || operation === 'patch') {
      if (operation === 'patch') {
        const ct = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        if (ct !== 'application/merge-patch+json') {
          throw new CofferError('unsupported_media_type', `PATCH requires Content-Type: application/merge-patch+json, got ${JSON.stringify(ct ?? '')}`);
        }
      }
      if (path.endsWith('/')) throw new CofferError('invalid_request', "cannot write to a path ending in '/'");
      data = await body(req);
    } else {
      if (query !== undefined) {
        query.delete('list');
        query.delete('help');
        const qd = parseQueryData(query);
        data = Object.keys(qd).length > 0 ? qd : undefined;
      }
      if (operation === 'list' && !logicalPath.endsWith('/')) logicalPath += '/';
    }
    const wrapTtl = wrapTtlOf(req);
    const lreq: LogicalRequest = { operation, path: logicalPath, data, token, remoteAddress: req.socket.remoteAddress ?? '', ...(wrapTtl > 0 ? { wrapTtl } : {}) };
    const result = await core.handleRequest(lreq);
    switch (result.kind) {
      case 'no-content':
        return sendNoContent(res);
      case 'not-found':
        return sendJson(res, 404, '{"errors":[]}');
      case 'accepted':
        if (!result.warnings) {
          res.writeHead(202, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': 0 });
          res.end();
          return;
        }
        return sendJson(res, 202, JSON.stringify({ request_id: '', lease_id: '', renewable: false, lease_duration: 0, data: null, wrap_info: null, warnings: result.warnings, auth: null }));
      case 'response':
        return sendJson(res, result.status, envelopeJson(result.body, injectsTopLevel(path)));
    }
  };

  return (req, res) => {
    serve(req, res).catch((e: unknown) => {
      const err = toCofferError(e);
      if (err.code === 'internal') logger.error({ error: e instanceof Error ? e.message : String(e), path: req.url?.split('?')[0] }, 'request failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err.code !== 'payload_too_large') {
        sendError(res, err);
        return;
      }
      // The refused body is being discarded (up to a bound). Answer once that is over, and close
      // the connection, so the client reads the 413 instead of a reset mid-upload.
      res.setHeader('Connection', 'close');
      afterBodyDiscarded(req, () => sendError(res, err));
    });
  };
}
