import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS, parseBenchOptions } from './options.js';

void describe('bench options', () => {
  void it('defaults to every scenario, 64 connections and the built-in target', () => {
    const o = parseBenchOptions([], {});
    assert.deepEqual(o.scenarios, []);
    assert.equal(o.connections, 64);
    assert.equal(o.durationSeconds, DEFAULT_OPTIONS.durationSeconds);
    assert.equal(o.rounds, DEFAULT_OPTIONS.rounds);
    assert.equal(o.idleSeconds, 15);
    assert.equal(o.targetCommand, null);
    assert.equal(o.save, true);
  });

  void it('accepts --flag=value and --flag value forms and a comma list of scenarios', () => {
    const o = parseBenchOptions(['--scenario=a,b', '--duration', '2.5', '--connections=8', '--rounds=3', '--warmup=0', '--idle=0', '--no-save'], {});
    assert.deepEqual(o.scenarios, ['a', 'b']);
    assert.equal(o.durationSeconds, 2.5);
    assert.equal(o.connections, 8);
    assert.equal(o.rounds, 3);
    assert.equal(o.warmupSeconds, 0);
    assert.equal(o.idleSeconds, 0);
    assert.equal(o.save, false);
  });

  void it('takes the target command from the environment unless the flag gives one', () => {
    assert.equal(parseBenchOptions([], { COFFER_BENCH_TARGET_CMD: 'node fake.js' }).targetCommand, 'node fake.js');
    assert.equal(parseBenchOptions(['--target-cmd=node other.js'], { COFFER_BENCH_TARGET_CMD: 'node fake.js' }).targetCommand, 'node other.js');
  });

  void it('rejects unknown flags and bad numbers with a message naming the flag', () => {
    assert.throws(() => parseBenchOptions(['--bogus'], {}));
    assert.throws(() => parseBenchOptions(['--connections=0'], {}), /--connections/);
    assert.throws(() => parseBenchOptions(['--rounds=1.5'], {}), /--rounds/);
    assert.throws(() => parseBenchOptions(['--duration=abc'], {}), /--duration/);
  });
});
