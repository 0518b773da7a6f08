import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError, createManualClock } from '../shared/index.js';
import { createSealManager, type SealManager } from './seal-manager.js';
import { createMapPhysical, type MapPhysical } from './test-physical.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function hasCode(code: string, message?: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof CofferError, `expected a CofferError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  };
}

async function initialized(shares = 5, threshold = 3, physical: MapPhysical = createMapPhysical()) {
  const clock = createManualClock();
  const manager = await createSealManager({ physical, clock });
  const { shares: keys } = await manager.initialize({ secretShares: shares, secretThreshold: threshold });
  return { manager, keys, physical, clock };
}

async function unsealWith(manager: SealManager, keys: Uint8Array[]) {
  let last = manager.status();
  for (const k of keys) last = await manager.submitUnsealKey(k);
  return last;
}

void describe('seal manager: initialization', () => {
  void it('reports uninitialized with t and n of 0 over empty storage', async () => {
    const m = await createSealManager({ physical: createMapPhysical(), clock: createManualClock() });
    assert.deepEqual(m.status(), { type: 'shamir', initialized: false, sealed: true, t: 0, n: 0, progress: 0, nonce: '' });
  });

  void it('initializes 5/3 into five 33-byte shares and stays sealed', async () => {
    const { manager, keys } = await initialized(5, 3);
    assert.equal(keys.length, 5);
    for (const k of keys) assert.equal(k.length, 33);
    assert.deepEqual(manager.status(), { type: 'shamir', initialized: true, sealed: true, t: 3, n: 5, progress: 0, nonce: '' });
  });

  void it('persists only the seal config, the encrypted root key and the encrypted keyring', async () => {
    const { physical } = await initialized();
    assert.deepEqual([...physical.entries.keys()].sort(), ['core/keyring', 'core/root-key', 'core/seal-config']);
    const cfg: unknown = JSON.parse(dec.decode(physical.entries.get('core/seal-config')));
    assert.deepEqual(cfg, { type: 'shamir', secret_shares: 5, secret_threshold: 3 });
  });

  void it('initializes 1/1 with the 32-byte key itself as the only share, which unseals alone', async () => {
    const { manager, keys, physical } = await initialized(1, 1);
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.length, 32);
    for (const v of physical.entries.values()) assert.equal(Buffer.from(v).indexOf(Buffer.from(keys[0]!)), -1);
    const s = await manager.submitUnsealKey(keys[0]!);
    assert.equal(s.sealed, false);
    assert.equal(s.t, 1);
    assert.equal(s.n, 1);
  });

  void it('refuses to initialize twice', async () => {
    const { manager } = await initialized();
    await assert.rejects(manager.initialize({ secretShares: 1, secretThreshold: 1 }), hasCode('invalid_request', 'Vault is already initialized'));
  });

  const invalid: [number, number, string][] = [
    [0, 0, 'shares must be at least one'],
    [3, 0, 'threshold must be at least one'],
    [5, 1, 'threshold must be greater than one for multiple shares'],
    [256, 3, 'shares must be less than 256'],
    [3, 5, 'threshold cannot be larger than shares'],
  ];
  for (const [n, t, why] of invalid) {
    void it(`rejects ${n} shares with threshold ${t}: "${why}"`, async () => {
      const m = await createSealManager({ physical: createMapPhysical(), clock: createManualClock() });
      await assert.rejects(
        m.initialize({ secretShares: n, secretThreshold: t }),
        hasCode('invalid_request', `invalid seal configuration: ${why}`),
      );
      assert.equal(m.status().initialized, false);
    });
  }

  void it('refuses to initialize storage that another manager initialized meanwhile', async () => {
    const physical = createMapPhysical();
    const stale = await createSealManager({ physical, clock: createManualClock() });
    await initialized(3, 2, physical);
    await assert.rejects(stale.initialize({ secretShares: 1, secretThreshold: 1 }), hasCode('invalid_request', 'Vault is already initialized'));
    assert.deepEqual([stale.status().initialized, stale.status().t, stale.status().n], [true, 2, 3]);
  });

  void it('lets only one of two concurrent initializations succeed', async () => {
    const m = await createSealManager({ physical: createMapPhysical(), clock: createManualClock() });
    const results = await Promise.allSettled([
      m.initialize({ secretShares: 5, secretThreshold: 3 }),
      m.initialize({ secretShares: 5, secretThreshold: 3 }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  });

  void it('accepts the maximum of 255 shares', async () => {
    const { keys } = await initialized(255, 2);
    assert.equal(keys.length, 255);
  });
});

void describe('seal manager: unsealing', () => {
  void it('unseals with any 3 of 5 shares in any order', async () => {
    const { physical, keys } = await initialized(5, 3);
    const picks = [
      [0, 1, 2],
      [4, 2, 0],
      [3, 1, 4],
      [2, 3, 1],
    ];
    for (const pick of picks) {
      const m = await createSealManager({ physical, clock: createManualClock() });
      const s = await unsealWith(m, pick.map((i) => keys[i]!));
      assert.deepEqual(s, { type: 'shamir', initialized: true, sealed: false, t: 3, n: 5, progress: 0, nonce: '' });
    }
  });

  void it('stays sealed after 2 of 3 shares with progress 2 and one non-empty nonce', async () => {
    const { manager, keys } = await initialized(5, 3);
    const first = await manager.submitUnsealKey(keys[0]!);
    const second = await manager.submitUnsealKey(keys[1]!);
    assert.equal(first.progress, 1);
    assert.equal(second.sealed, true);
    assert.equal(second.progress, 2);
    assert.notEqual(second.nonce, '');
    assert.equal(second.nonce, first.nonce);
    assert.throws(() => manager.storage(), hasCode('sealed', 'Vault is sealed'));
  });

  void it('does not count the same share twice', async () => {
    const { manager, keys } = await initialized(5, 3);
    await manager.submitUnsealKey(keys[0]!);
    const s = await manager.submitUnsealKey(Uint8Array.from(keys[0]!));
    assert.equal(s.progress, 1);
  });

  void it('fails a wrong share combination with "unseal failed, invalid key" and resets progress', async () => {
    const { manager, keys } = await initialized(5, 3);
    const forged = Uint8Array.from(keys[2]!);
    forged[0] = forged[0]! ^ 0xff;
    await manager.submitUnsealKey(keys[0]!);
    await manager.submitUnsealKey(keys[1]!);
    await assert.rejects(manager.submitUnsealKey(forged), hasCode('invalid_request', 'unseal failed, invalid key'));
    const s = manager.status();
    assert.equal(s.sealed, true);
    assert.equal(s.progress, 0);
    assert.equal(s.nonce, '');
    // The correct shares still work afterwards.
    assert.equal((await unsealWith(manager, [keys[0]!, keys[1]!, keys[2]!])).sealed, false);
  });

  void it('fails shares from another vault with "unseal failed, invalid key"', async () => {
    const { manager } = await initialized(5, 3);
    const { keys: foreign } = await initialized(5, 3);
    await manager.submitUnsealKey(foreign[0]!);
    await manager.submitUnsealKey(foreign[1]!);
    await assert.rejects(manager.submitUnsealKey(foreign[2]!), hasCode('invalid_request', 'unseal failed, invalid key'));
  });

  void it('rejects a share of the wrong length without losing progress', async () => {
    const { manager, keys } = await initialized(5, 3);
    await manager.submitUnsealKey(keys[0]!);
    await assert.rejects(manager.submitUnsealKey(new Uint8Array(16)), hasCode('invalid_request', 'unseal failed, invalid key'));
    assert.equal(manager.status().progress, 1);
  });

  void it('rejects an unseal key before initialization with "Vault is not initialized"', async () => {
    const m = await createSealManager({ physical: createMapPhysical(), clock: createManualClock() });
    await assert.rejects(m.submitUnsealKey(new Uint8Array(33)), hasCode('invalid_request', 'Vault is not initialized'));
  });

  void it('returns the status when a key is submitted to an unsealed vault', async () => {
    const { manager, keys } = await initialized(5, 3);
    await unsealWith(manager, keys.slice(0, 3));
    const s = await manager.submitUnsealKey(keys[4]!);
    assert.equal(s.sealed, false);
    assert.equal(s.progress, 0);
  });

  void it('resets the unseal attempt, discarding collected shares', async () => {
    const { manager, keys } = await initialized(5, 3);
    await manager.submitUnsealKey(keys[0]!);
    await manager.submitUnsealKey(keys[1]!);
    const s = manager.resetUnseal();
    assert.equal(s.progress, 0);
    assert.equal(s.nonce, '');
    assert.equal((await manager.submitUnsealKey(keys[2]!)).progress, 1);
  });

  void it('refuses to reset an unsealed vault with "vault is unsealed"', async () => {
    const { manager, keys } = await initialized(5, 3);
    await unsealWith(manager, keys.slice(0, 3));
    assert.throws(() => manager.resetUnseal(), hasCode('invalid_request', 'vault is unsealed'));
  });

  void it('serializes concurrent unseal calls so the vault unseals exactly once', async () => {
    const { manager, keys } = await initialized(5, 3);
    await manager.submitUnsealKey(keys[0]!);
    await manager.submitUnsealKey(keys[1]!);
    const results = await Promise.all([manager.submitUnsealKey(keys[2]!), manager.submitUnsealKey(keys[3]!), manager.submitUnsealKey(keys[4]!)]);
    assert.deepEqual(results.map((r) => r.sealed), [false, false, false]);
    const storage = manager.storage();
    await storage.put('kv/a', enc.encode('1'));
    // A second unseal would have replaced the keyring state and its counter.
    assert.equal(manager.keyStatus().encryptions, 1);
  });

  void it('serializes concurrent shares that together reach the threshold', async () => {
    const { manager, keys } = await initialized(5, 3);
    const results = await Promise.all(keys.slice(0, 4).map((k) => manager.submitUnsealKey(k)));
    assert.deepEqual(results.map((r) => [r.sealed, r.progress]), [[true, 1], [true, 2], [false, 0], [false, 0]]);
  });
});

void describe('seal manager: sealing, restart and rotation', () => {
  void it('seals: storage operations reject with code "sealed", including on a barrier obtained before', async () => {
    const { manager, keys } = await initialized(5, 3);
    await unsealWith(manager, keys.slice(0, 3));
    const storage = manager.storage();
    await storage.put('kv/a', enc.encode('v'));
    let notified = 0;
    manager.onSealed(() => notified++);
    manager.seal();
    assert.equal(notified, 1);
    assert.equal(manager.status().sealed, true);
    assert.throws(() => manager.storage(), hasCode('sealed', 'Vault is sealed'));
    await assert.rejects(storage.get('kv/a'), hasCode('sealed', 'Vault is sealed'));
    await assert.rejects(storage.put('kv/b', enc.encode('v')), hasCode('sealed'));
    await assert.rejects(storage.delete('kv/a'), hasCode('sealed'));
    await assert.rejects(storage.list(''), hasCode('sealed'));
    await assert.rejects(manager.rotate(), hasCode('sealed'));
    assert.throws(() => manager.keyStatus(), hasCode('sealed'));
  });

  void it('rejects a read that was in flight when the vault sealed', async () => {
    const { manager, keys, physical } = await initialized(1, 1);
    await manager.submitUnsealKey(keys[0]!);
    const storage = manager.storage();
    await storage.put('kv/a', enc.encode('v'));
    const realGet = physical.get.bind(physical);
    physical.get = async (key) => {
      const v = await realGet(key);
      manager.seal();
      return v;
    };
    await assert.rejects(storage.get('kv/a'), hasCode('sealed'));
  });

  void it('unseals again after sealing and reads what was written', async () => {
    const { manager, keys } = await initialized(5, 3);
    await unsealWith(manager, keys.slice(0, 3));
    await manager.storage().put('kv/a', enc.encode('before'));
    manager.seal();
    await unsealWith(manager, keys.slice(2, 5));
    assert.equal(dec.decode(await manager.storage().get('kv/a')), 'before');
  });

  void it('restarts: a new manager over the same storage is initialized, sealed, and reads old data after unseal', async () => {
    const { manager, keys, physical } = await initialized(5, 3);
    await unsealWith(manager, keys.slice(0, 3));
    await manager.storage().put('kv/a', enc.encode('persisted'));
    const again = await createSealManager({ physical, clock: createManualClock() });
    assert.deepEqual(again.status(), { type: 'shamir', initialized: true, sealed: true, t: 3, n: 5, progress: 0, nonce: '' });
    await unsealWith(again, [keys[4]!, keys[1]!, keys[3]!]);
    assert.equal(dec.decode(await again.storage().get('kv/a')), 'persisted');
  });

  void it('rotates: a new term with its install time, counting encryptions with the current term', async () => {
    const { manager, keys, clock } = await initialized(5, 3);
    const initTime = clock.now();
    await unsealWith(manager, keys.slice(0, 3));
    const storage = manager.storage();
    await storage.put('kv/a', enc.encode('1'));
    await storage.put('kv/b', enc.encode('2'));
    assert.deepEqual(manager.keyStatus(), { term: 1, installTime: new Date(initTime), encryptions: 2 });
    clock.advance(60_000);
    await manager.rotate();
    assert.deepEqual(manager.keyStatus(), { term: 2, installTime: new Date(initTime + 60_000), encryptions: 0 });
    await storage.put('kv/c', enc.encode('3'));
    assert.equal(manager.keyStatus().encryptions, 1);
  });

  void it('keeps the rotated keyring across a restart', async () => {
    const { manager, keys, physical } = await initialized(1, 1);
    await manager.submitUnsealKey(keys[0]!);
    await manager.storage().put('kv/old', enc.encode('old'));
    await manager.rotate();
    await manager.rotate();
    await manager.storage().put('kv/new', enc.encode('new'));
    const again = await createSealManager({ physical, clock: createManualClock() });
    await again.submitUnsealKey(keys[0]!);
    assert.equal(again.keyStatus().term, 3);
    assert.equal(dec.decode(await again.storage().get('kv/old')), 'old');
    assert.equal(dec.decode(await again.storage().get('kv/new')), 'new');
  });

  void it('fails to start over a corrupt seal configuration with an internal error', async () => {
    const physical = createMapPhysical();
    const { manager } = await initialized(1, 1, physical);
    assert.equal(manager.status().initialized, true);
    physical.entries.set('core/seal-config', physical.entries.get('core/keyring')!);
    await assert.rejects(createSealManager({ physical, clock: createManualClock() }), hasCode('internal'));
  });
});
