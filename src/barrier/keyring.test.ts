import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addTerm, createKeyring, decodeKeyring, encodeKeyring, wipeKeyring } from './keyring.js';

void describe('keyring', () => {
  void it('round-trips every term, key and install time through its encoding', () => {
    const ring = addTerm(createKeyring(1000), 2000);
    const back = decodeKeyring(encodeKeyring(ring));
    assert.equal(back.activeTerm, 2);
    for (const t of [1, 2]) {
      assert.deepEqual(back.terms.get(t), ring.terms.get(t));
    }
  });

  void it('wipes every key with zeros', () => {
    const ring = addTerm(createKeyring(0), 0);
    wipeKeyring(ring);
    for (const t of ring.terms.values()) assert.ok(t.key.every((b) => b === 0));
  });

  void it('rejects a truncated encoding as internal', () => {
    const bytes = encodeKeyring(createKeyring(0));
    assert.throws(() => decodeKeyring(bytes.subarray(0, bytes.length - 1)), { code: 'internal' });
  });
});
