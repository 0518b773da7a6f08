// Turns raw load rounds and resource samples into the figures the report prints: throughput,
// latency percentiles over all rounds, error counts, memory and CPU, and the Coffer/bare ratio.
import { mergeHistograms, percentileMs } from './histogram.js';
import type { LoadRoundRaw } from './ipc-messages.js';

export type TargetName = 'coffer' | 'bare';

/** Resource figures for one server process; null where /proc could not be read. */
export interface ResourceFigures {
  /** VmRSS right after setup and one sample request (KiB). */
  readonly startupRssKiB: number | null;
  /**
   * VmRSS after the process then sat idle for the harness's idle period (KiB): what it holds
   * while waiting for work, once V8's memory reducer has run (it does so after a few idle seconds).
   */
  readonly idleRssKiB: number | null;
  /** Highest VmRSS sampled while this target was under measured load (KiB). */
  readonly loadedRssKiB: number | null;
  /** Server CPU time over wall time during its measured rounds (100 = one core). */
  readonly cpuPercent: number | null;
  /** Load generator CPU over the same rounds; near 100 means the generator was the limit. */
  readonly loadGeneratorCpuPercent: number | null;
}

export interface RoundFigures {
  readonly target: TargetName;
  readonly round: number;
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly durationSeconds: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly non2xx: number;
  readonly errors: number;
}

export interface TargetFigures extends ResourceFigures {
  /** All completed requests over all measured seconds. */
  readonly requestsPerSecond: number;
  readonly roundRequestsPerSecond: readonly number[];
  readonly requests: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCounts: Readonly<Record<string, number>>;
}

/** Requests per second of a round; 0 when the round lasted no time at all. */
export function roundRate(round: Pick<LoadRoundRaw, 'requests' | 'durationSeconds'>): number {
  return round.durationSeconds > 0 ? round.requests / round.durationSeconds : 0;
}

export function roundFigures(target: TargetName, round: number, raw: LoadRoundRaw): RoundFigures {
  return {
    target,
    round,
    requestsPerSecond: roundRate(raw),
    requests: raw.requests,
    durationSeconds: raw.durationSeconds,
    p50Ms: percentileMs(raw.latency, 50),
    p99Ms: percentileMs(raw.latency, 99),
    non2xx: raw.non2xx,
    errors: raw.errors,
  };
}

/**
 * Combines a target's measured rounds: counts add up, throughput is total requests over total
 * duration, and percentiles come from the merged latency histogram (not an average of percentiles).
 */
export function summariseTarget(rounds: readonly LoadRoundRaw[], resources: ResourceFigures): TargetFigures {
  const requests = rounds.reduce((acc, r) => acc + r.requests, 0);
  const seconds = rounds.reduce((acc, r) => acc + r.durationSeconds, 0);
  const latency = mergeHistograms(rounds.map((r) => r.latency));
  const statusCounts: Record<string, number> = {};
  for (const r of rounds) {
    for (const [code, n] of Object.entries(r.statusCounts)) statusCounts[code] = (statusCounts[code] ?? 0) + n;
  }
  return {
    requestsPerSecond: seconds > 0 ? requests / seconds : 0,
    roundRequestsPerSecond: rounds.map(roundRate),
    requests,
    p50Ms: percentileMs(latency, 50),
    p99Ms: percentileMs(latency, 99),
    non2xx: rounds.reduce((acc, r) => acc + r.non2xx, 0),
    errors: rounds.reduce((acc, r) => acc + r.errors, 0),
    timeouts: rounds.reduce((acc, r) => acc + r.timeouts, 0),
    statusCounts,
    ...resources,
  };
}

/** Coffer throughput as a fraction of the bare server's; null when the bare server served nothing. */
export function throughputRatio(cofferRps: number, bareRps: number): number | null {
  if (!(bareRps > 0) || !Number.isFinite(cofferRps)) return null;
  return cofferRps / bareRps;
}

/** Largest of the numbers, ignoring nulls; null when there is none. */
export function maxOrNull(values: readonly (number | null)[]): number | null {
  let best: number | null = null;
  for (const v of values) if (v !== null && (best === null || v > best)) best = v;
  return best;
}
