import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError } from '../shared/index.js';
import { decodeUnsealKey } from './unseal-key.js';

const bytes = (n: number, seed = 7): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);

void describe('decodeUnsealKey', () => {
  void it('reads a 33-byte share given as hex (either case)', () => {
    const share = bytes(33);
    assert.deepEqual(decodeUnsealKey(Buffer.from(share).toString('hex')), share);
    assert.deepEqual(decodeUnsealKey(Buffer.from(share).toString('hex').toUpperCase()), share);
  });

  void it('reads a 32-byte 1-of-1 key given as hex', () => {
    const key = bytes(32);
    assert.deepEqual(decodeUnsealKey(Buffer.from(key).toString('hex')), key);
  });

  void it('reads the same share given as standard base64', () => {
    const share = bytes(33);
    assert.deepEqual(decodeUnsealKey(Buffer.from(share).toString('base64')), share);
  });

  void it('reads a string that is valid hex of the wrong length as base64', () => {
    // 48 hex digits decode to 24 bytes as hex (not a share length), but to 36 bytes as base64.
    const s = 'abcdef0123456789abcdef0123456789abcdef0123456789';
    assert.deepEqual(decodeUnsealKey(s), new Uint8Array(Buffer.from(s, 'base64')));
  });

  void it('rejects a key share that is not hex or base64', () => {
    for (const bad of ['not a key!', 'zz', 'abc', '****']) {
      assert.throws(
        () => decodeUnsealKey(bad),
        (e: unknown) => e instanceof CofferError && e.code === 'invalid_request' && e.message === "'key' must be a valid hex or base64 string",
        bad,
      );
    }
  });
});
