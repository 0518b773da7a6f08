// Reads a process's resident memory and CPU time from Linux /proc; on other systems (or once the
// process is gone) the readers return null rather than failing the run.
import { readFile } from 'node:fs/promises';

/** Clock ticks per second for /proc/<pid>/stat; 100 on every mainstream Linux build. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** Parses the VmRSS line of /proc/<pid>/status into KiB; null if absent. */
export function parseVmRssKiB(status: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/**
 * Parses utime + stime (fields 14 and 15) of /proc/<pid>/stat into seconds. The command name in
 * field 2 may contain spaces and parentheses, so fields are counted after its last ')'.
 */
export function parseCpuSeconds(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const fields = stat.slice(close + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state), so utime (14) is fields[11] and stime (15) fields[12].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

async function readProc(pid: number, file: string): Promise<string | null> {
  try {
    return await readFile(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

export async function readRssKiB(pid: number): Promise<number | null> {
  const text = await readProc(pid, 'status');
  return text === null ? null : parseVmRssKiB(text);
}

export async function readCpuSeconds(pid: number): Promise<number | null> {
  const text = await readProc(pid, 'stat');
  return text === null ? null : parseCpuSeconds(text);
}

/** Samples the RSS of some processes every `intervalMs` and remembers each one's maximum. */
export interface RssSampler {
  /** Stops sampling (after one last sample) and returns the max KiB seen per pid. */
  stop(): Promise<ReadonlyMap<number, number>>;
}

export function startRssSampler(pids: readonly number[], intervalMs = 200): RssSampler {
  const max = new Map<number, number>();
  let inFlight: Promise<void> = Promise.resolve();
  const sample = async (): Promise<void> => {
    const values = await Promise.all(pids.map(readRssKiB));
    values.forEach((v, i) => {
      const pid = pids[i]!;
      if (v !== null && v > (max.get(pid) ?? -1)) max.set(pid, v);
    });
  };
  const tick = (): void => {
    // A slow /proc read must not pile up samples behind it.
    inFlight = inFlight.then(sample);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    async stop(): Promise<ReadonlyMap<number, number>> {
      clearInterval(timer);
      tick();
      await inFlight;
      return max;
    },
  };
}
