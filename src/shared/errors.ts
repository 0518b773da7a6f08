// CofferError: the one error type. Every failure that reaches a client carries a stable code;
// http/ owns the single code → status table. Messages never contain secrets or raw tokens.

export type ErrorCode =
  | 'invalid_request' // 400: bad or missing parameters, logical errors
  | 'permission_denied' // 403: no/invalid token, ACL denial
  | 'not_found' // 404 with an empty error list (a read that found nothing)
  | 'unsupported_path' // 404: no route
  | 'unsupported_operation' // 405
  | 'conflict' // 409
  | 'payload_too_large' // 413
  | 'unsupported_media_type' // 415
  | 'sealed' // 503: Vault is sealed
  | 'unavailable' // 503: standby / not active
  | 'internal'; // 500

export class CofferError extends Error {
  readonly code: ErrorCode;
  /** Extra messages shown after the first in the wire `errors` list. */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.name = 'CofferError';
    this.code = code;
    this.details = details;
  }
}

export const invalidRequest = (message: string): CofferError => new CofferError('invalid_request', message);
export const permissionDenied = (): CofferError => new CofferError('permission_denied', 'permission denied');
export const notFound = (): CofferError => new CofferError('not_found', '');
export const sealedError = (): CofferError => new CofferError('sealed', 'Vault is sealed');

export function isCofferError(e: unknown): e is CofferError {
  return e instanceof CofferError;
}

/** Turns anything thrown into a CofferError; unknown errors become `internal` with a generic message. */
export function toCofferError(e: unknown): CofferError {
  if (e instanceof CofferError) return e;
  return new CofferError('internal', 'internal error');
}
