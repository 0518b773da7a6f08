// Writing responses: every response carries Cache-Control: no-store and a JSON content type.

import type { ServerResponse } from 'node:http';
import type { CofferError } from '../shared/index.js';
import { errorBody, statusOf } from './status.js';

export function sendJson(res: ServerResponse, status: number, json: string, headOnly = false): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(json),
  });
  // A string body (not a Buffer) lets Node send head and body as one string in one write,
  // instead of a two-buffer writev; the bytes on the wire are the same UTF-8.
  res.end(headOnly ? undefined : json);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end();
}

export function sendError(res: ServerResponse, e: CofferError): void {
  sendJson(res, statusOf(e.code), errorBody(e));
}
