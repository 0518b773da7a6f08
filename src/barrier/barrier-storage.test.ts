import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError, createManualClock } from '../shared/index.js';
import { mintCiphertext } from './ciphertext.js';
import { createSealManager } from './seal-manager.js';
import { createMapPhysical } from './test-physical.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function hasCode(code: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof CofferError, `expected a CofferError, got ${String(e)}`);
    assert.equal(e.code, code);
    return true;
  };
}

async function unsealedBarrier() {
  const physical = createMapPhysical();
  const manager = await createSealManager({ physical, clock: createManualClock() });
  const { shares } = await manager.initialize({ secretShares: 1, secretThreshold: 1 });
  await manager.submitUnsealKey(shares[0]!);
  return { manager, physical, storage: manager.storage(), kek: shares[0]! };
}

const termOf = (bytes: Uint8Array): number => Buffer.from(bytes).readUInt32BE(1);

void describe('barrier storage', () => {
  void it('round-trips values, including empty and binary ones', async () => {
    const { storage } = await unsealedBarrier();
    const binary = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
    await storage.put('a/b', binary);
    await storage.put('a/empty', new Uint8Array(0));
    assert.deepEqual(await storage.get('a/b'), binary);
    assert.deepEqual(await storage.get('a/empty'), new Uint8Array(0));
    assert.equal(await storage.get('a/missing'), undefined);
    await storage.delete('a/b');
    assert.equal(await storage.get('a/b'), undefined);
  });

  void it('never lets a known secret value reach the physical bytes, in any common encoding', async () => {
    const { storage, physical, kek } = await unsealedBarrier();
    const secret = 'correct-horse-battery-staple-7f3a9c';
    await storage.put('logical/1/secret', enc.encode(secret));
    await storage.put('logical/1/json', enc.encode(JSON.stringify({ password: secret })));
    await storage.put('core/mounts', enc.encode(`[${secret}]`));
    const needles = [Buffer.from(secret), Buffer.from(Buffer.from(secret).toString('hex')), Buffer.from(Buffer.from(secret).toString('base64')), Buffer.from(kek)];
    assert.ok(physical.entries.size >= 6);
    for (const [key, value] of physical.entries) {
      for (const needle of needles) assert.equal(Buffer.from(value).indexOf(needle), -1, `found a secret in ${key}`);
    }
  });

  void it('lays entries out as version 1, term, 12-byte nonce, ciphertext and 16-byte tag', async () => {
    const { storage, physical } = await unsealedBarrier();
    await storage.put('k', new Uint8Array(100));
    await storage.put('k2', new Uint8Array(100));
    const a = physical.entries.get('k')!;
    const b = physical.entries.get('k2')!;
    assert.equal(a.length, 1 + 4 + 12 + 100 + 16);
    assert.equal(a[0], 1);
    assert.equal(termOf(a), 1);
    assert.notDeepEqual(a.subarray(5, 17), b.subarray(5, 17), 'nonces must differ');
  });

  void it('fails to decrypt an entry moved to another key, naming the key but no data', async () => {
    const { storage, physical } = await unsealedBarrier();
    await storage.put('logical/a/secret', enc.encode('value-a'));
    physical.entries.set('logical/b/secret', physical.entries.get('logical/a/secret')!);
    await assert.rejects(storage.get('logical/b/secret'), (e: unknown) => {
      assert.ok(e instanceof CofferError);
      assert.equal(e.code, 'internal');
      assert.match(e.message, /logical\/b\/secret/);
      assert.doesNotMatch(e.message, /value-a/);
      return true;
    });
  });

  void it('fails to decrypt when any part of the entry is tampered with', async () => {
    const { storage, physical } = await unsealedBarrier();
    await storage.put('k', enc.encode('some value'));
    const original = physical.entries.get('k')!;
    // version, term, nonce, ciphertext, tag
    for (const at of [0, 4, 10, 20, original.length - 1]) {
      const tampered = Uint8Array.from(original);
      tampered[at] = tampered[at]! ^ 0x01;
      physical.entries.set('k', mintCiphertext(tampered));
      await assert.rejects(storage.get('k'), hasCode('internal'), `byte ${at}`);
    }
    physical.entries.set('k', mintCiphertext(original.subarray(0, 20)));
    await assert.rejects(storage.get('k'), hasCode('internal'));
    physical.entries.set('k', original);
    assert.equal(dec.decode(await storage.get('k')), 'some value');
  });

  void it('keeps old entries readable after rotation and writes new ones with the new term', async () => {
    const { storage, physical, manager } = await unsealedBarrier();
    await storage.put('old', enc.encode('old'));
    await manager.rotate();
    await storage.put('new', enc.encode('new'));
    assert.equal(termOf(physical.entries.get('old')!), 1);
    assert.equal(termOf(physical.entries.get('new')!), 2);
    assert.equal(dec.decode(await storage.get('old')), 'old');
    assert.equal(dec.decode(await storage.get('new')), 'new');
    await storage.put('old', enc.encode('rewritten'));
    assert.equal(termOf(physical.entries.get('old')!), 2);
  });

  void it('rejects keys with ".." segments, a leading "/", or nothing at all', async () => {
    const { storage } = await unsealedBarrier();
    for (const bad of ['../x', 'a/../b', 'a/..', '/a', '']) {
      await assert.rejects(storage.get(bad), hasCode('invalid_request'), bad);
      await assert.rejects(storage.put(bad, new Uint8Array(1)), hasCode('invalid_request'), bad);
      await assert.rejects(storage.delete(bad), hasCode('invalid_request'), bad);
    }
    for (const bad of ['a', '/a/', '../', 'a/../']) await assert.rejects(storage.list(bad), hasCode('invalid_request'), bad);
    // '..' inside a segment name is an ordinary name
    await storage.put('a/b..c', enc.encode('ok'));
  });

  void it('hides the barrier-owned keys from its callers', async () => {
    const { storage } = await unsealedBarrier();
    await storage.put('core/mounts', enc.encode('m'));
    for (const k of ['core/keyring', 'core/root-key', 'core/seal-config']) {
      await assert.rejects(storage.get(k), hasCode('invalid_request'), k);
      await assert.rejects(storage.put(k, enc.encode('x')), hasCode('invalid_request'), k);
      await assert.rejects(storage.delete(k), hasCode('invalid_request'), k);
    }
    assert.deepEqual(await storage.list('core/'), ['mounts']);
    assert.deepEqual(await storage.list(''), ['core/']);
  });

  void it('lists direct children of a prefix', async () => {
    const { storage } = await unsealedBarrier();
    for (const k of ['logical/x/a', 'logical/x/b/c', 'logical/y']) await storage.put(k, enc.encode('1'));
    assert.deepEqual(await storage.list('logical/'), ['x/', 'y']);
    assert.deepEqual(await storage.list('logical/x/'), ['a', 'b/']);
  });
});
