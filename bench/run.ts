// Entry point of `npm run bench`: parses options, starts the load generator, runs each selected
// scenario against Coffer and a bare node:http twin, prints the table and saves the results.
import { join, resolve } from 'node:path';
import { createChildRegistry } from './children.js';
import { machineCpuPlan, pinProcess } from './cpu-pinning.js';
import { startLoadGenerator } from './child-scripts.js';
import { parseBenchOptions, USAGE } from './options.js';
import { formatHeader, formatScenario } from './report.js';
import { machineInfo, saveRunResult, shapeRunResult } from './result.js';
import type { ScenarioResult } from './result.js';
import { findRepoRoot, runEntryPoint } from './repo-root.js';
import { runScenario } from './run-scenario.js';
import { SCENARIOS, selectScenarios } from './scenarios/index.js';
import { DEFAULT_TARGET_COMMAND } from './target-command.js';

async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchOptions(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(20)} ${s.description}\n`);
    return 0;
  }
  const scenarios = selectScenarios(options.scenarios);
  const plan = options.pin ? machineCpuPlan() : null;
  if (plan instanceof Error) {
    process.stderr.write(`${plan.message}\n`);
    return 2;
  }
  const repo = findRepoRoot();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const children = createChildRegistry(options.verbose ? log : undefined);

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals, code: number): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping child processes`);
    void children.stopAll(2000).finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.once('exit', () => children.killAllNow());

  try {
    const startedAt = new Date();
    const machine = machineInfo();
    const parameters = {
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      rounds: options.rounds,
      idleSeconds: options.idleSeconds,
      targetCommand: options.targetCommand ?? DEFAULT_TARGET_COMMAND,
      loadGenerator: 'autocannon (child process, pipelining 1)',
      cpuPinning: plan,
    };
    process.stdout.write(`${formatHeader(machine, parameters)}\n\n`);
    const load = startLoadGenerator(children);
    if (plan !== null) pinProcess(load.child.pid, plan.loadCpus);
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      const result = await runScenario(
        scenario,
        { ...options, targetTemplate: options.targetCommand, repo, pin: plan },
        { children, load, log },
      );
      results.push(result);
      process.stdout.write(`${formatScenario(result)}\n\n`);
    }
    const run = shapeRunResult({ startedAt, finishedAt: new Date(), machine, parameters, scenarios: results });
    if (options.save) {
      const dir = options.resultsDir === null ? join(repo, 'bench', 'results') : resolve(options.resultsDir);
      const written = await saveRunResult(dir, run);
      process.stdout.write(`saved: ${written.join(', ')}\n`);
    }
    return 0;
  } catch (err) {
    // After a signal the children die under the run's feet; that error is expected, not news.
    if (!stopping) log(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await children.stopAll();
  }
}

runEntryPoint(main);
