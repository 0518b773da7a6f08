import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCofferError } from '../shared/index.js';
import { createLineBatcher } from './line-batcher.js';

/** A sink whose flushes complete only when the test says so. */
function gatedSink(): { sink: (lines: readonly string[]) => Promise<void>; flushes: string[][]; release: () => void; fail: (e: Error) => void } {
  const flushes: string[][] = [];
  let pending: { resolve: () => void; reject: (e: Error) => void } | undefined;
  return {
    flushes,
    sink: (lines) =>
      new Promise<void>((resolve, reject) => {
        flushes.push([...lines]);
        pending = { resolve, reject };
      }),
    release: () => pending?.resolve(),
    fail: (e) => pending?.reject(e),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('line batcher', () => {
  it('sends the lines of calls made in one event-loop turn in a single flush, in call order', async () => {
    const flushes: string[][] = [];
    const b = createLineBatcher({ sink: async (lines) => void flushes.push([...lines]) });
    await Promise.all([b.write(['a']), b.write(['b', 'c']), b.write(['d'])]);
    assert.deepEqual(flushes, [['a', 'b', 'c', 'd']]);
    assert.deepEqual(b.stats(), { calls: 3, lines: 4, flushes: 1, rejectedFull: 0 });
  });

  it('queues calls made while a flush is in flight into the next flush', async () => {
    const g = gatedSink();
    const b = createLineBatcher({ sink: g.sink });
    const first = b.write(['1']);
    await tick();
    assert.deepEqual(g.flushes, [['1']]);
    const later = [b.write(['2']), b.write(['3'])];
    g.release();
    await first;
    await tick();
    assert.deepEqual(g.flushes, [['1'], ['2', '3']]);
    g.release();
    await Promise.all(later);
  });

  it('answers a caller only when the flush holding its lines has finished', async () => {
    const g = gatedSink();
    const b = createLineBatcher({ sink: g.sink });
    let done = false;
    const p = b.write(['x']).then(() => {
      done = true;
    });
    await tick();
    await tick();
    assert.equal(done, false);
    g.release();
    await p;
    assert.equal(done, true);
  });

  it('rejects only the callers of a failed flush and keeps going with later ones', async () => {
    const g = gatedSink();
    const b = createLineBatcher({ sink: g.sink });
    const first = b.write(['1']);
    await tick();
    const second = b.write(['2']);
    g.fail(new Error('disk full'));
    await assert.rejects(first, /disk full/);
    await tick();
    g.release();
    await second;
    assert.deepEqual(g.flushes, [['1'], ['2']]);
  });

  it('rejects a write that would grow the queue beyond its cap instead of buffering it', async () => {
    const g = gatedSink();
    const b = createLineBatcher({ sink: g.sink, maxQueuedChars: 10 });
    const inFlight = b.write(['aaaa']); // 5 chars, queued
    await tick(); // now in flight: no longer counted as queued
    const q1 = b.write(['bbbb']); // 5
    const q2 = b.write(['cccc']); // 10
    await assert.rejects(b.write(['d']), (e: unknown) => isCofferError(e) && e.code === 'unavailable');
    g.release();
    await inFlight;
    await tick();
    g.release();
    await Promise.all([q1, q2]);
    assert.equal(b.stats().rejectedFull, 1);
    assert.deepEqual(g.flushes, [['aaaa'], ['bbbb', 'cccc']]);
  });

  it('starts a new batch once one reaches the batch size limit, keeping the order', async () => {
    const flushes: string[][] = [];
    const b = createLineBatcher({ sink: async (lines) => void flushes.push([...lines]), maxBatchChars: 4 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((l) => b.write([l])));
    assert.deepEqual(flushes, [['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('runs an operation after everything queued before it and before everything queued after it', async () => {
    const events: string[] = [];
    const b = createLineBatcher({ sink: async (lines) => void events.push(`flush ${lines.join(',')}`) });
    const all = [b.write(['1']), b.run(async () => void events.push('op')), b.write(['2'])];
    await Promise.all(all);
    assert.deepEqual(events, ['flush 1', 'op', 'flush 2']);
  });

  it('passes an operation failure to its caller without stopping the queue', async () => {
    const b = createLineBatcher({ sink: async () => undefined });
    await assert.rejects(
      b.run(async () => {
        throw new Error('nope');
      }),
      /nope/,
    );
    await b.write(['still works']);
  });
});
