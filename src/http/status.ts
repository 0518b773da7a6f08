// The one table from error code to HTTP status, and the wire error body.

import type { CofferError, ErrorCode } from '../shared/index.js';

const statusByCode: Record<ErrorCode, number> = {
  invalid_request: 400,
  permission_denied: 403,
  not_found: 404,
  unsupported_path: 404,
  unsupported_operation: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  sealed: 503,
  unavailable: 503,
  internal: 500,
};

export function statusOf(code: ErrorCode): number {
  return statusByCode[code];
}

/** `{"errors":[...]}`; a plain not-found is an empty list, as Vault clients expect. */
export function errorBody(e: CofferError): string {
  if (e.code === 'not_found') return '{"errors":[]}';
  return JSON.stringify({ errors: [e.message, ...e.details] });
}
