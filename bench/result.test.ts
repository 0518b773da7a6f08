import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summariseTarget } from './figures.js';
import { bucketOf } from './histogram.js';
import { formatScenario } from './report.js';
import { resultFileName, saveRunResult, shapeRunResult } from './result.js';
import type { BenchRunResult, ScenarioResult } from './result.js';

const resources = { startupRssKiB: 45_000, idleRssKiB: 40_960, loadedRssKiB: 51_200, cpuPercent: 99, loadGeneratorCpuPercent: 70 };
const raw = (requests: number) => ({ requests, durationSeconds: 10, non2xx: 0, errors: 0, timeouts: 0, statusCounts: { '200': requests }, latency: [[bucketOf(1000), requests]] as [number, number][] });

function scenario(name: string): ScenarioResult {
  return {
    name,
    description: 'test',
    request: { method: 'GET', path: '/v1/x', bodyBytes: 0 },
    response: { status: 200, bodyBytes: 257 },
    coffer: summariseTarget([raw(50_000)], resources),
    bare: summariseTarget([raw(100_000)], resources),
    throughputRatio: 0.5,
    rounds: [],
  };
}

function run(scenarios: ScenarioResult[]): BenchRunResult {
  return shapeRunResult({
    startedAt: new Date('2026-11-27T03:40:05.123Z'),
    finishedAt: new Date('2026-11-27T03:41:00.000Z'),
    machine: { cpuModel: 'cpu', cpuCount: 2, totalMemoryBytes: 2 ** 34, os: 'Linux', nodeVersion: 'v20.0.0', loadAverageAtStart: [0, 0, 0] },
    parameters: { connections: 64, durationSeconds: 10, warmupSeconds: 3, rounds: 2, idleSeconds: 15, targetCommand: 'node x', loadGenerator: 'autocannon', cpuPinning: null },
    scenarios,
  });
}

void describe('results', () => {
  void it('names files by start time to the second and scenario, without colons', () => {
    assert.equal(resultFileName(new Date('2026-11-27T03:40:05.123Z'), 'kv-v1-read'), '2026-11-27T03-40-05Z-kv-v1-read.json');
  });

  void it('records schema, ISO times, machine, parameters and scenarios in order', () => {
    const r = run([scenario('a'), scenario('b')]);
    assert.equal(r.schema, 1);
    assert.equal(r.startedAt, '2026-11-27T03:40:05.123Z');
    assert.equal(r.machine.cpuCount, 2);
    assert.equal(r.parameters.connections, 64);
    assert.deepEqual(r.scenarios.map((s) => s.name), ['a', 'b']);
  });

  void it('saves one file per scenario plus latest.json with the whole run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coffer-bench-'));
    try {
      const written = await saveRunResult(dir, run([scenario('a'), scenario('b')]));
      assert.equal(written.length, 3);
      assert.deepEqual((await readdir(dir)).sort(), ['2026-11-27T03-40-05Z-a.json', '2026-11-27T03-40-05Z-b.json', 'latest.json']);
      const one = JSON.parse(await readFile(join(dir, '2026-11-27T03-40-05Z-b.json'), 'utf8')) as BenchRunResult;
      assert.deepEqual(one.scenarios.map((s) => s.name), ['b']);
      const latest = JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8')) as BenchRunResult;
      assert.equal(latest.scenarios.length, 2);
      assert.equal(latest.scenarios[0]!.coffer.requestsPerSecond, 5000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('prints throughput, latency, memory and the ratio for both targets', () => {
    const text = formatScenario(scenario('kv-v1-read'));
    assert.match(text, /coffer\s+5000\s+1\.00\s+1\.00\s+0\s+0\s+43\.9 MiB\s+40\.0 MiB\s+50\.0 MiB\s+99%\s+70%/);
    assert.match(text, /bare\s+10000/);
    assert.match(text, /coffer\/bare throughput: 0\.500/);
  });
});
