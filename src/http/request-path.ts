// Checks on the URL path of a request, as Vault applies them before routing: no parent
// references, and only printable characters once percent-decoding is undone.
import { invalidRequest } from '../shared/index.js';

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols, and the ASCII space only.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u;

/** Whether `s` is printable ASCII (space through '~') without any '%' (the common case). */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x25) return false;
  }
  return true;
}

/**
 * Percent-decodes a raw URL path (as found in `req.url`, query excluded) and validates it.
 * Returns the decoded path. Throws CofferError invalid_request:
 * - `path contains non-printable characters` for control characters, DEL, other non-printable
 *   code points, or percent-escapes that do not decode to valid UTF-8;
 * - `path contains an invalid percent-encoding` for malformed escapes such as `%zz`;
 * - `path cannot contain parent references` if a `..` segment appears after decoding.
 * `%2F` decodes to `/` (as in Go's URL.Path). Whether a write may target a path ending in `/` is
 * the caller's check.
 */
export function decodeRequestPath(rawPath: string): string {
  if (isPlainAscii(rawPath)) {
    // Nothing to decode, and printable ASCII is printable by Go's rules too.
    if (rawPath.includes('..') && rawPath.split('/').includes('..')) throw invalidRequest('path cannot contain parent references');
    return rawPath;
  }
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // decodeURIComponent throws both for bad escapes and for escapes that are not UTF-8.
    throw /%(?![0-9a-fA-F]{2})/.test(rawPath)
      ? invalidRequest('path contains an invalid percent-encoding')
      : invalidRequest('path contains non-printable characters');
  }
  if (!PRINTABLE.test(path)) throw invalidRequest('path contains non-printable characters');
  if (path.split('/').includes('..')) throw invalidRequest('path cannot contain parent references');
  return path;
}

/** Validates a raw URL path; see decodeRequestPath for the rules and errors. */
export function validateRequestPath(rawPath: string): void {
  decodeRequestPath(rawPath);
}
