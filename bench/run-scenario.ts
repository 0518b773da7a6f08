// Runs one scenario end to end: fresh target, setup, sample response, bare twin, warm-up, then
// alternating measured rounds with memory and CPU sampling; both servers are stopped afterwards.
import { performance } from 'node:perf_hooks';
import type { ChildRegistry } from './children.js';
import { pinProcess } from './cpu-pinning.js';
import type { CpuPlan } from './cpu-pinning.js';
import { startBareServer } from './child-scripts.js';
import type { LoadGenerator, LoadRound } from './child-scripts.js';
import { startTarget } from './coffer-target.js';
import { DEFAULT_TARGET_COMMAND, DEV_SERVER_ARGS } from './target-command.js';
import { maxOrNull, roundFigures, roundRate, summariseTarget, throughputRatio } from './figures.js';
import type { RoundFigures, TargetName } from './figures.js';
import { createBenchClient, sendRequest } from './http-client.js';
import type { LoadRoundRaw } from './ipc-messages.js';
import { readCpuSeconds, readRssKiB, startRssSampler } from './proc-stats.js';
import type { ScenarioResult } from './result.js';
import type { Scenario } from './scenario.js';

export interface ScenarioRunOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  /** Seconds without traffic before idle RSS is read. */
  readonly idleSeconds: number;
  readonly targetTemplate: string | null;
  readonly repo: string;
  /** When set, servers are pinned to `serverCpus` once started. */
  readonly pin: CpuPlan | null;
}

export interface ScenarioRunDeps {
  readonly children: ChildRegistry;
  readonly load: LoadGenerator;
  /** Progress lines (the harness sends them to stderr). */
  readonly log: (line: string) => void;
}

interface Measured {
  readonly raw: LoadRoundRaw;
  readonly wallSeconds: number;
  readonly serverCpuSeconds: number | null;
  readonly loadCpuSeconds: number | null;
  readonly maxRssKiB: number | null;
}

const cpuDelta = (before: number | null, after: number | null): number | null =>
  before === null || after === null ? null : after - before;

/** Sum of CPU over sum of wall time, as a percentage of one core; null if any reading is missing. */
function cpuPercent(rounds: readonly Measured[], pick: (m: Measured) => number | null): number | null {
  let cpu = 0;
  let wall = 0;
  for (const m of rounds) {
    const c = pick(m);
    if (c === null) return null;
    cpu += c;
    wall += m.wallSeconds;
  }
  return wall > 0 ? (cpu / wall) * 100 : null;
}

/**
 * Runs `scenario` once. Throws if the target does not come up, setup fails, or the measured
 * request does not answer 2xx (benchmarking error responses would be meaningless).
 */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions, deps: ScenarioRunDeps): Promise<ScenarioResult> {
  const { children, load, log } = deps;
  const say = (line: string): void => log(`[${scenario.name}] ${line}`);
  say('starting target');
  const template = scenario.serverArgs ? withServerArgs(options.targetTemplate ?? DEFAULT_TARGET_COMMAND, scenario.serverArgs) : options.targetTemplate;
  const target = await startTarget(children, { template, repo: options.repo });
  try {
    if (options.pin !== null) pinProcess(target.child.pid, options.pin.serverCpus);
    say(`target pid ${target.child.pid} on 127.0.0.1:${target.port}; setting up`);
    const vars = (await scenario.setup(createBenchClient(target.port, target.token))) ?? {};
    const request = scenario.request({ token: target.token, vars });
    const sample = await sendRequest(target.port, request);
    if (sample.status < 200 || sample.status > 299) {
      throw new Error(`the measured request answered ${sample.status}: ${sample.body.toString('utf8').slice(0, 500)}`);
    }
    const bare = await startBareServer(children, sample);
    try {
      if (options.pin !== null) pinProcess(bare.child.pid, options.pin.serverCpus);
      const check = await sendRequest(bare.port, request);
      if (check.status !== sample.status || check.body.length !== sample.body.length) {
        throw new Error(`the bare server answered ${check.status}/${check.body.length} B, expected ${sample.status}/${sample.body.length} B`);
      }
      const pids: Record<TargetName, number> = { coffer: target.child.pid, bare: bare.child.pid };
      const ports: Record<TargetName, number> = { coffer: target.port, bare: bare.port };
      const startup: Record<TargetName, number | null> = {
        coffer: await readRssKiB(pids.coffer),
        bare: await readRssKiB(pids.bare),
      };
      if (options.idleSeconds > 0) {
        say(`idle ${options.idleSeconds} s before reading idle RSS`);
        await new Promise((r) => setTimeout(r, options.idleSeconds * 1000));
      }
      const idle: Record<TargetName, number | null> = {
        coffer: await readRssKiB(pids.coffer),
        bare: await readRssKiB(pids.bare),
      };
      const roundFor = (name: TargetName, durationSeconds: number): LoadRound => ({
        url: `http://127.0.0.1:${ports[name]}${request.path}`,
        method: request.method,
        headers: { ...request.headers },
        body: request.body ?? null,
        connections: options.connections,
        durationSeconds,
      });
      const order: readonly TargetName[] = ['coffer', 'bare'];

      if (options.warmupSeconds > 0) {
        for (const name of order) {
          say(`warm-up ${name} ${options.warmupSeconds} s`);
          await load.run(roundFor(name, options.warmupSeconds));
        }
      }

      const measured: Record<TargetName, Measured[]> = { coffer: [], bare: [] };
      const rounds: RoundFigures[] = [];
      for (let r = 1; r <= options.rounds; r++) {
        for (const name of order) {
          const pid = pids[name];
          const sampler = startRssSampler([pid]);
          const [serverBefore, loadBefore] = [await readCpuSeconds(pid), await readCpuSeconds(load.child.pid)];
          const t0 = performance.now();
          const raw = await load.run(roundFor(name, options.durationSeconds));
          const wallSeconds = (performance.now() - t0) / 1000;
          const [serverAfter, loadAfter] = [await readCpuSeconds(pid), await readCpuSeconds(load.child.pid)];
          const maxRss = (await sampler.stop()).get(pid) ?? null;
          measured[name].push({
            raw,
            wallSeconds,
            serverCpuSeconds: cpuDelta(serverBefore, serverAfter),
            loadCpuSeconds: cpuDelta(loadBefore, loadAfter),
            maxRssKiB: maxRss,
          });
          rounds.push(roundFigures(name, r, raw));
          say(`round ${r}/${options.rounds} ${name}: ${roundRate(raw).toFixed(0)} req/s, non-2xx ${raw.non2xx}, errors ${raw.errors}`);
        }
      }

      const figures = (name: TargetName): ReturnType<typeof summariseTarget> =>
        summariseTarget(
          measured[name].map((m) => m.raw),
          {
            startupRssKiB: startup[name],
            idleRssKiB: idle[name],
            loadedRssKiB: maxOrNull(measured[name].map((m) => m.maxRssKiB)),
            cpuPercent: cpuPercent(measured[name], (m) => m.serverCpuSeconds),
            loadGeneratorCpuPercent: cpuPercent(measured[name], (m) => m.loadCpuSeconds),
          },
        );
      const coffer = figures('coffer');
      const bareFigures = figures('bare');
      return {
        name: scenario.name,
        description: scenario.description,
        request: { method: request.method, path: request.path, bodyBytes: Buffer.byteLength(request.body ?? '') },
        response: { status: sample.status, bodyBytes: sample.body.length },
        coffer,
        bare: bareFigures,
        throughputRatio: throughputRatio(coffer.requestsPerSecond, bareFigures.requestsPerSecond),
        rounds,
      };
    } finally {
      await bare.child.stop();
    }
  } finally {
    await target.child.stop();
    await scenario.teardown?.();
  }
}

/** Appends scenario-specific server arguments after the dev-server arguments. */
function withServerArgs(template: string, args: string): string {
  const full = template.includes('{port}') ? template : `${template} ${DEV_SERVER_ARGS}`;
  return `${full} ${args}`;
}
