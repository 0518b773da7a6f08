// The shape of a saved benchmark result and how it is assembled and written: one file per
// scenario (`<ISO timestamp>-<scenario>.json`) plus `latest.json` holding the whole run.
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RoundFigures, TargetFigures } from './figures.js';

export const RESULT_SCHEMA_VERSION = 1;

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly totalMemoryBytes: number;
  readonly os: string;
  readonly nodeVersion: string;
  /** 1, 5 and 15 minute load averages when the run started: other work skews the figures. */
  readonly loadAverageAtStart: readonly number[];
}

export interface BenchParameters {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  /** Seconds without traffic before idle RSS was read. */
  readonly idleSeconds: number;
  readonly targetCommand: string;
  readonly loadGenerator: string;
  /** CPU lists given to taskset, or null when processes were not pinned. */
  readonly cpuPinning: { readonly serverCpus: string; readonly loadCpus: string } | null;
}

export interface ScenarioResult {
  readonly name: string;
  readonly description: string;
  readonly request: { readonly method: string; readonly path: string; readonly bodyBytes: number };
  /** Coffer's answer to the measured request, which the bare server repeats. */
  readonly response: { readonly status: number; readonly bodyBytes: number };
  readonly coffer: TargetFigures;
  readonly bare: TargetFigures;
  /** coffer.requestsPerSecond / bare.requestsPerSecond. */
  readonly throughputRatio: number | null;
  readonly rounds: readonly RoundFigures[];
}

export interface BenchRunResult {
  readonly schema: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineInfo;
  readonly parameters: BenchParameters;
  readonly scenarios: readonly ScenarioResult[];
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    totalMemoryBytes: totalmem(),
    os: `${osType()} ${release()}`,
    nodeVersion: process.version,
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

/** Assembles a run result; `scenarios` keeps its order. */
export function shapeRunResult(input: {
  startedAt: Date;
  finishedAt: Date;
  machine: MachineInfo;
  parameters: BenchParameters;
  scenarios: readonly ScenarioResult[];
}): BenchRunResult {
  return {
    schema: RESULT_SCHEMA_VERSION,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    machine: input.machine,
    parameters: input.parameters,
    scenarios: [...input.scenarios],
  };
}

/**
 * `2026-11-27T03:40:05.123Z` + `kv-v1-read` → `2026-11-27T03-40-05Z-kv-v1-read.json`: the ISO
 * timestamp to the second, with ':' replaced since it is not allowed in file names everywhere.
 */
export function resultFileName(startedAt: Date, scenario: string): string {
  const stamp = startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-');
  return `${stamp}-${scenario}.json`;
}

/** Writes one file per scenario and latest.json (the whole run); returns the paths written. */
export async function saveRunResult(dir: string, result: BenchRunResult): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const startedAt = new Date(result.startedAt);
  for (const scenario of result.scenarios) {
    const path = join(dir, resultFileName(startedAt, scenario.name));
    await writeFile(path, JSON.stringify({ ...result, scenarios: [scenario] }, null, 2) + '\n');
    written.push(path);
  }
  const latest = join(dir, 'latest.json');
  await writeFile(latest, JSON.stringify(result, null, 2) + '\n');
  written.push(latest);
  return written;
}

/**
 * Writes a stand-alone measurement (agent-idle, audit-ab) to `<dir>/<time>-<name>.json`, where
 * `dir` is `resultsDir` or `<repo>/bench/results`; returns the path.
 */
export async function saveNamedResult(repo: string, resultsDir: string | undefined, startedAt: Date, name: string, result: unknown): Promise<string> {
  const dir = resultsDir === undefined ? join(repo, 'bench', 'results') : resolve(resultsDir);
  await mkdir(dir, { recursive: true });
  const path = join(dir, resultFileName(startedAt, name));
  await writeFile(path, JSON.stringify(result, null, 2) + '\n');
  return path;
}
