// Validation of storage keys and list prefixes: the barrier is where path traversal stops.
import { invalidRequest } from '../shared/index.js';

function checkSegments(value: string, what: string): void {
  // Fast path for the common case; the split below runs only when '..' appears at all.
  if (value.charCodeAt(0) !== 0x2f && !value.includes('..')) return;
  if (value.startsWith('/')) throw invalidRequest(`invalid ${what}: must not start with '/'`);
  if (value.split('/').includes('..')) throw invalidRequest(`invalid ${what}: must not contain '..' segments`);
}

/** Throws invalid_request unless `key` is non-empty, relative, and free of '..' segments. */
export function assertValidKey(key: string): void {
  if (key === '') throw invalidRequest('invalid storage key: must not be empty');
  checkSegments(key, 'storage key');
}

/** Throws invalid_request unless `prefix` is "" or a relative prefix ending in '/' without '..'. */
export function assertValidPrefix(prefix: string): void {
  if (prefix !== '' && !prefix.endsWith('/')) throw invalidRequest("invalid list prefix: must end with '/'");
  checkSegments(prefix, 'list prefix');
}
