// Tests of request path validation: parent references and non-printable characters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError } from '../shared/index.js';
import { decodeRequestPath, validateRequestPath } from './request-path.js';

function rejects(path: string, message: string): void {
  assert.throws(
    () => validateRequestPath(path),
    (e: unknown) => e instanceof CofferError && e.code === 'invalid_request' && e.message === message,
    path,
  );
}

describe('validateRequestPath', () => {
  it('accepts ordinary Vault paths, including trailing slashes and dots inside names', () => {
    for (const p of ['/v1/secret/data/app', '/v1/secret/', '/v1/a/..b/c..', '/v1/a/./b', '/v1/kv/x%20y', '/v1/kv/ü€']) {
      assert.doesNotThrow(() => validateRequestPath(p), p);
    }
  });

  it('rejects a .. segment, plain or percent-encoded', () => {
    for (const p of ['/v1/secret/../sys', '/v1/..', '/v1/secret/%2e%2e/sys', '/v1/secret/%2E%2E', '/v1/a%2F..%2Fb']) {
      rejects(p, 'path cannot contain parent references');
    }
  });

  it('rejects control characters, DEL and other non-printable code points', () => {
    for (const p of ['/v1/a%00b', '/v1/a%0Ab', '/v1/a%09', '/v1/a%7F', '/v1/a%C2%85', '/v1/a%E2%80%8B', '/v1/a\u0001b', '/v1/a%C2%A0']) {
      rejects(p, 'path contains non-printable characters');
    }
  });

  it('rejects percent-escapes that are not valid UTF-8 as non-printable', () => {
    for (const p of ['/v1/a%FF', '/v1/a%C3', '/v1/a%ED%A0%80']) rejects(p, 'path contains non-printable characters');
  });

  it('rejects malformed percent-escapes', () => {
    for (const p of ['/v1/a%zz', '/v1/a%4', '/v1/a%']) rejects(p, 'path contains an invalid percent-encoding');
  });

  it('returns the decoded path from decodeRequestPath', () => {
    assert.equal(decodeRequestPath('/v1/kv/a%20b%2Fc'), '/v1/kv/a b/c');
  });
});
