// Optional CPU pinning (`--pin`): servers on one CPU, the load generator on another, so that on a
// small machine the two do not trade places between rounds and make the figures noisier.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface CpuPlan {
  readonly serverCpus: string;
  readonly loadCpus: string;
}

/**
 * Splits CPUs 0..n-1 into a server half (the lower CPUs, at least one) and a load half; null when
 * there are fewer than two CPUs to split.
 */
export function planCpus(cpuCount: number): CpuPlan | null {
  if (cpuCount < 2) return null;
  const serverCount = Math.ceil(cpuCount / 2);
  const range = (from: number, to: number): string => (from === to ? String(from) : `${from}-${to}`);
  return { serverCpus: range(0, serverCount - 1), loadCpus: range(serverCount, cpuCount - 1) };
}

/** The plan for this machine, or an Error saying why pinning is not possible here. */
export function machineCpuPlan(): CpuPlan | Error {
  const plan = planCpus(availableParallelism());
  if (plan === null) return new Error('--pin needs at least two CPUs');
  const probe = spawnSync('taskset', ['-V'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) return new Error('--pin needs taskset (util-linux) on PATH');
  return plan;
}

/** Pins every thread of `pid` (threads it starts later inherit the mask); throws if taskset fails. */
export function pinProcess(pid: number, cpus: string): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`taskset could not pin pid ${pid} to CPUs ${cpus}: ${r.stderr}`);
}
