import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError, createManualClock } from '../shared/index.js';
import { createSealManager } from './seal-manager.js';
import { createMapPhysical } from './test-physical.js';
import { createView } from './view.js';

const enc = new TextEncoder();

function hasCode(code: string) {
  return (e: unknown): boolean => e instanceof CofferError && e.code === code;
}

async function unsealed() {
  const physical = createMapPhysical();
  const manager = await createSealManager({ physical, clock: createManualClock() });
  const { shares } = await manager.initialize({ secretShares: 1, secretThreshold: 1 });
  await manager.submitUnsealKey(shares[0]!);
  return { physical, manager, storage: manager.storage() };
}

void describe('createView', () => {
  void it('stores under the prefix and answers with relative keys', async () => {
    const { storage, physical } = await unsealed();
    const view = createView(storage, 'logical/abc/');
    await view.put('foo/bar', enc.encode('1'));
    await view.put('baz', enc.encode('2'));
    assert.ok(physical.entries.has('logical/abc/foo/bar'));
    assert.deepEqual(await view.list(''), ['baz', 'foo/']);
    assert.deepEqual(await view.list('foo/'), ['bar']);
    assert.deepEqual(await view.get('baz'), enc.encode('2'));
    await view.delete('baz');
    assert.equal(await storage.get('logical/abc/baz'), undefined);
  });

  void it('cannot climb out of its prefix', async () => {
    const { storage } = await unsealed();
    await storage.put('logical/other/secret', enc.encode('x'));
    const view = createView(storage, 'logical/abc/');
    await assert.rejects(view.get('../other/secret'), hasCode('invalid_request'));
    await assert.rejects(view.get('/logical/other/secret'), hasCode('invalid_request'));
    await assert.rejects(view.list('../'), hasCode('invalid_request'));
  });

  void it('nests: a view of a view adds both prefixes', async () => {
    const { storage, physical } = await unsealed();
    const inner = createView(createView(storage, 'auth/'), 'u1/');
    await inner.put('k', enc.encode('1'));
    assert.ok(physical.entries.has('auth/u1/k'));
  });

  void it('rejects a prefix that does not end with "/" or climbs', async () => {
    const { storage } = await unsealed();
    for (const bad of ['', 'logical', '/logical/', 'a/../']) {
      assert.throws(() => createView(storage, bad), hasCode('invalid_request'), bad);
    }
  });

  void it('rejects with "sealed" once the vault seals', async () => {
    const { storage, manager } = await unsealed();
    const view = createView(storage, 'logical/abc/');
    manager.seal();
    await assert.rejects(view.get('foo'), hasCode('sealed'));
    await assert.rejects(view.list(''), hasCode('sealed'));
  });
});
