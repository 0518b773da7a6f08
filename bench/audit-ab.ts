// `npm run bench:audit`: what a file audit device costs, measured A/B on one server process.
// Starts a Coffer dev server with a KV v1 secret, then alternates measured rounds of the same
// read with the audit device disabled and enabled (off, on, off, on, …) under the same load
// generator, so machine drift between scenarios cannot masquerade as audit cost. Prints req/s,
// p50/p99 per state and the on/off throughput ratio; saves bench/results/<time>-audit-ab.json.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLoadGenerator } from './child-scripts.js';
import type { LoadRound } from './child-scripts.js';
import { createChildRegistry } from './children.js';
import { startTarget } from './coffer-target.js';
import { mergeHistograms, percentileMs } from './histogram.js';
import { createBenchClient } from './http-client.js';
import type { LoadRoundRaw } from './ipc-messages.js';
import { positiveInteger, positiveNumber } from './options.js';
import { findRepoRoot, runEntryPoint } from './repo-root.js';
import { machineInfo, saveNamedResult } from './result.js';
import { randomValue } from './scenario.js';

const USAGE = `Usage: npm run bench:audit -- [--rounds=N] [--duration=S] [--warmup=S] [--connections=N] [--results-dir=DIR] [--no-save]

  --rounds=N       measured rounds per state, alternating off/on (default 3)
  --duration=S     seconds per round (default 10)
  --warmup=S       unmeasured seconds in each state first (default 3)
  --connections=N  concurrent connections (default 64)
`;

interface StateFigures {
  requestsPerSecond: number;
  roundRequestsPerSecond: number[];
  p50Ms: number | null;
  p99Ms: number | null;
  non2xx: number;
  errors: number;
}

function figures(rounds: readonly LoadRoundRaw[]): StateFigures {
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const seconds = rounds.reduce((n, r) => n + r.durationSeconds, 0);
  const latency = mergeHistograms(rounds.map((r) => r.latency));
  return {
    requestsPerSecond: seconds > 0 ? requests / seconds : 0,
    roundRequestsPerSecond: rounds.map((r) => (r.durationSeconds > 0 ? r.requests / r.durationSeconds : 0)),
    p50Ms: percentileMs(latency, 50),
    p99Ms: percentileMs(latency, 99),
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
  };
}

async function main(): Promise<number> {
  let opts;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        rounds: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        'results-dir': { type: 'string' },
        'no-save': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    if (values.help === true) {
      process.stdout.write(USAGE);
      return 0;
    }
    opts = {
      rounds: positiveInteger('rounds', values.rounds, 3),
      duration: positiveNumber('duration', values.duration, 10),
      warmup: positiveNumber('warmup', values.warmup, 3, true),
      connections: positiveInteger('connections', values.connections, 64),
      resultsDir: values['results-dir'],
      save: values['no-save'] !== true,
    };
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  const log = (line: string): void => void process.stderr.write(`[audit-ab] ${line}\n`);
  const repo = findRepoRoot();
  const children = createChildRegistry();
  process.once('exit', () => children.killAllNow());
  const dir = await mkdtemp(join(tmpdir(), 'coffer-bench-audit-'));
  try {
    const startedAt = new Date();
    const target = await startTarget(children, { template: null, repo });
    const client = createBenchClient(target.port, target.token);
    await client.call('POST', '/v1/sys/mounts/bench-kv', { type: 'kv', options: { version: '1' } });
    await client.call('POST', '/v1/bench-kv/item', { value: randomValue(64) });
    const auditFile = join(dir, 'audit.log');
    const setAudit = async (on: boolean): Promise<void> => {
      if (on) await client.call('PUT', '/v1/sys/audit/file', { type: 'file', options: { file_path: auditFile } });
      else await client.call('DELETE', '/v1/sys/audit/file');
    };
    const load = startLoadGenerator(children);
    const round = (durationSeconds: number): LoadRound => ({
      url: `http://127.0.0.1:${target.port}/v1/bench-kv/item`,
      method: 'GET',
      headers: { 'X-Vault-Token': target.token },
      body: null,
      connections: opts.connections,
      durationSeconds,
    });
    const measured: Record<'off' | 'on', LoadRoundRaw[]> = { off: [], on: [] };
    if (opts.warmup > 0) {
      for (const state of ['off', 'on'] as const) {
        await setAudit(state === 'on');
        log(`warm-up audit ${state} ${opts.warmup} s`);
        await load.run(round(opts.warmup));
        if (state === 'on') await setAudit(false);
      }
    }
    for (let r = 1; r <= opts.rounds; r++) {
      for (const state of ['off', 'on'] as const) {
        if (state === 'on') await setAudit(true);
        const raw = await load.run(round(opts.duration));
        if (state === 'on') await setAudit(false);
        measured[state].push(raw);
        log(`round ${r}/${opts.rounds} audit ${state}: ${(raw.requests / raw.durationSeconds).toFixed(0)} req/s, non-2xx ${raw.non2xx}, errors ${raw.errors}`);
      }
    }
    const off = figures(measured.off);
    const on = figures(measured.on);
    const ratio = off.requestsPerSecond > 0 ? on.requestsPerSecond / off.requestsPerSecond : null;
    const fmt = (v: number | null, d: number): string => (v === null ? '-' : v.toFixed(d));
    process.stdout.write(
      [
        `audit-ab: GET /v1/bench-kv/item, ${opts.connections} connections, ${opts.rounds} round(s) × ${opts.duration} s per state, alternating on one server`,
        `  audit off: ${off.requestsPerSecond.toFixed(0)} req/s, p50 ${fmt(off.p50Ms, 2)} ms, p99 ${fmt(off.p99Ms, 2)} ms (rounds: ${off.roundRequestsPerSecond.map((v) => v.toFixed(0)).join(', ')})`,
        `  audit on:  ${on.requestsPerSecond.toFixed(0)} req/s, p50 ${fmt(on.p50Ms, 2)} ms, p99 ${fmt(on.p99Ms, 2)} ms (rounds: ${on.roundRequestsPerSecond.map((v) => v.toFixed(0)).join(', ')})`,
        `  on/off throughput: ${fmt(ratio, 3)}`,
        '',
      ].join('\n'),
    );
    if (on.non2xx + off.non2xx + on.errors + off.errors > 0) throw new Error('some measured requests failed; the figures are not comparable');
    if (opts.save) {
      const result = { schemaVersion: 1, name: 'audit-ab', startedAt: startedAt.toISOString(), machine: machineInfo(), parameters: opts, off, on, ratio };
      process.stdout.write(`saved: ${await saveNamedResult(repo, opts.resultsDir, startedAt, 'audit-ab', result)}\n`);
    }
    return 0;
  } catch (err) {
    log(`failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  }
}

runEntryPoint(main);
