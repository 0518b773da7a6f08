// Renders results as the plain-text table `npm run bench` prints.
import type { TargetFigures } from './figures.js';
import type { BenchParameters, MachineInfo, ScenarioResult } from './result.js';

const fixed = (v: number | null, digits: number): string => (v === null ? '-' : v.toFixed(digits));
const mib = (kib: number | null): string => (kib === null ? '-' : `${(kib / 1024).toFixed(1)} MiB`);
const pct = (v: number | null): string => (v === null ? '-' : `${v.toFixed(0)}%`);

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows
    .map((r) => r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '))
    .join('\n');
}

function targetRow(name: string, t: TargetFigures): string[] {
  return [
    name,
    fixed(t.requestsPerSecond, 0),
    fixed(t.p50Ms, 2),
    fixed(t.p99Ms, 2),
    String(t.non2xx),
    String(t.errors),
    mib(t.startupRssKiB),
    mib(t.idleRssKiB),
    mib(t.loadedRssKiB),
    pct(t.cpuPercent),
    pct(t.loadGeneratorCpuPercent),
  ];
}

export function formatHeader(machine: MachineInfo, params: BenchParameters): string {
  const busy = (machine.loadAverageAtStart[0] ?? 0) > machine.cpuCount / 2;
  return [
    `machine: ${machine.cpuCount} × ${machine.cpuModel}, ${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, ${machine.os}, node ${machine.nodeVersion}`,
    `load: ${params.loadGenerator}, ${params.connections} connections, ${params.rounds} round(s) × ${params.durationSeconds} s per target (alternating), warm-up ${params.warmupSeconds} s, idle RSS read after ${params.idleSeconds} s without traffic`,
    `target: ${params.targetCommand}`,
    `load average at start: ${machine.loadAverageAtStart.join(' ')}${busy ? '  (warning: the machine is busy; figures will be noisy)' : ''}`,
    `cpu pinning: ${params.cpuPinning === null ? 'off' : `servers on CPU ${params.cpuPinning.serverCpus}, load generator on CPU ${params.cpuPinning.loadCpus}`}`,
  ].join('\n');
}

export function formatScenario(s: ScenarioResult): string {
  const rounds = (t: TargetFigures): string => t.roundRequestsPerSecond.map((r) => r.toFixed(0)).join(', ');
  const ratio = s.throughputRatio === null ? '-' : s.throughputRatio.toFixed(3);
  return [
    `scenario ${s.name}: ${s.request.method} ${s.request.path} → ${s.response.status}, ${s.response.bodyBytes} B body`,
    table([
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'start RSS', 'idle RSS', 'loaded RSS', 'cpu', 'loadgen cpu'],
      targetRow('coffer', s.coffer),
      targetRow('bare', s.bare),
    ]),
    `coffer/bare throughput: ${ratio}   (req/s per round — coffer: ${rounds(s.coffer)}; bare: ${rounds(s.bare)})`,
  ].join('\n');
}
