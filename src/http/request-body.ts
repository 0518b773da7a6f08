// Reading and decoding request bodies and query strings into request data, the way Vault does:
// JSON by default, a form only when declared and not JSON-looking, a size limit enforced early.
import type { IncomingMessage } from 'node:http';
import { CofferError, invalidRequest } from '../shared/index.js';

/** Vault's default per-listener request size limit. */
export const DEFAULT_MAX_REQUEST_BYTES = 32 * 1024 * 1024;

// After an over-limit body we keep discarding this much so a modest overrun still finishes
// cleanly (the client then reads the 413); beyond it we stop reading and leave the connection
// to be closed after the response.
const DISCARD_AFTER_LIMIT_BYTES = 256 * 1024;

const tooLarge = (): CofferError => new CofferError('payload_too_large', 'http: request body too large');

/**
 * Reads the whole request body, at most `limitBytes`. Rejects with CofferError payload_too_large
 * (`http: request body too large`) as soon as the limit is passed, or at once when Content-Length
 * already says so, without buffering the excess. After that rejection the caller should answer
 * 413 with `Connection: close`: the request stream is left paused if the client keeps sending.
 * Rejects with the stream's error if the connection fails (e.g. client aborted).
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    if (req.readableEnded) {
      resolve(Buffer.alloc(0));
      return;
    }
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limitBytes) {
      discardThenStop(req);
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limitBytes) {
        cleanup();
        chunks.length = 0;
        discardThenStop(req);
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onClose = (): void => {
      // 'close' without 'end' means the client went away mid-body.
      cleanup();
      reject(new CofferError('invalid_request', 'request body was not fully received'));
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Swallows what is left of the body up to a bound, then pauses the stream. */
function discardThenStop(req: IncomingMessage): void {
  if (req.readableEnded) return;
  let discarded = 0;
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > DISCARD_AFTER_LIMIT_BYTES) {
      req.off('data', onData);
      req.pause();
    }
  };
  req.on('data', onData);
  req.once('end', () => req.off('data', onData));
  req.on('error', () => undefined); // the request is already answered; nothing to report
}

const FORM_TYPE = 'application/x-www-form-urlencoded';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** Form only if declared as one and the first non-whitespace byte is not `{` or `[`. */
function isForm(body: Buffer, contentType: string | undefined): boolean {
  if (mediaType(contentType) !== FORM_TYPE) return false;
  for (const c of body) {
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c !== 0x7b && c !== 0x5b;
  }
  return true;
}

function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw invalidRequest('failed to parse request body: invalid UTF-8');
  }
}

/** Builds request data from repeated-key pairs: one value stays a string, repeats are joined with ','. */
function joinRepeated(params: URLSearchParams): Record<string, unknown> {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of params) {
    const list = grouped.get(k);
    if (list) list.push(v);
    else grouped.set(k, [v]);
  }
  // fromEntries defines own properties, so a key like "__proto__" cannot touch the prototype.
  return Object.fromEntries([...grouped].map(([k, vs]) => [k, vs.length === 1 ? vs[0] : vs.join(',')]));
}

/**
 * Decodes a POST/PUT body into request data. Empty body → `undefined`. A form (see isForm) →
 * string values, repeated keys joined with ','. Otherwise JSON, whatever the content type: must
 * be an object (`null` → `undefined`). Throws CofferError invalid_request for invalid UTF-8,
 * invalid JSON (`failed to parse JSON input: …`) or JSON that is not an object.
 */
export function parseBodyData(body: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  if (body.length === 0) return undefined;
  const text = decodeUtf8(body);
  if (isForm(body, contentType)) {
    const data = joinRepeated(new URLSearchParams(text));
    return Object.keys(data).length === 0 ? undefined : data;
  }
  if (text.trim() === '') return undefined; // Go's decoder sees only whitespace as EOF
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : 'invalid JSON';
    throw invalidRequest(`failed to parse JSON input: ${why}`);
  }
  if (parsed === null) return undefined;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed;
    throw invalidRequest(`failed to parse JSON input: expected a JSON object, got ${kind}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Turns query parameters into request data: a key given once maps to its string, a repeated key
 * to an array of its strings (Vault's behaviour for query data). The reserved `help` key is left
 * out; stripping `list` is the caller's job since it decides the operation.
 */
export function parseQueryData(search: URLSearchParams): Record<string, unknown> {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of search) {
    if (k === 'help') continue;
    const list = grouped.get(k);
    if (list) list.push(v);
    else grouped.set(k, [v]);
  }
  return Object.fromEntries([...grouped].map(([k, vs]) => [k, vs.length === 1 ? vs[0] : vs]));
}
