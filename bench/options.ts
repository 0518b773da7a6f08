// Command-line options of `npm run bench`, parsed from argv and the environment into one value.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Scenario names to run, in order; empty means every registered scenario. */
  readonly scenarios: readonly string[];
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly rounds: number;
  /** Seconds both servers sit without traffic before idle RSS is read (0: read it at once). */
  readonly idleSeconds: number;
  /** Command template for the Coffer server; null means the default (`node <repo>/bin/coffer …`). */
  readonly targetCommand: string | null;
  /** Where result files go; null means `<repo>/bench/results`. */
  readonly resultsDir: string | null;
  readonly save: boolean;
  readonly verbose: boolean;
  /** Pin servers and load generator to separate CPUs with taskset. */
  readonly pin: boolean;
  readonly list: boolean;
  readonly help: boolean;
}

export const DEFAULT_OPTIONS = {
  durationSeconds: 10,
  warmupSeconds: 3,
  connections: 64,
  rounds: 2,
  idleSeconds: 15,
} as const;

export const USAGE = `Usage: npm run bench -- [options]

  --scenario=NAME[,NAME]  scenarios to run (default: all; see --list)
  --duration=SECONDS      length of each measured round (default ${DEFAULT_OPTIONS.durationSeconds})
  --warmup=SECONDS        unmeasured warm-up per target, 0 to skip (default ${DEFAULT_OPTIONS.warmupSeconds})
  --connections=N         concurrent connections (default ${DEFAULT_OPTIONS.connections})
  --rounds=N              measured rounds per target, alternating Coffer/bare (default ${DEFAULT_OPTIONS.rounds})
  --idle=SECONDS          quiet time before idle RSS is read, 0 to read it at once (default ${DEFAULT_OPTIONS.idleSeconds})
  --target-cmd=CMD        command that starts the server under test (env COFFER_BENCH_TARGET_CMD);
                          placeholders {port} {token} {repo}; without {port} the harness appends
                          "server -dev -dev-root-token-id={token} -dev-listen-address=127.0.0.1:{port}"
  --results-dir=DIR       where result JSON goes (default bench/results)
  --no-save               print only, write no result files
  --pin                   pin the servers and the load generator to separate CPUs (taskset)
  --verbose               echo the target's output
  --list                  list scenarios and exit
  --help                  this text
`;

/** Parses a `--name` number option (the raw text, or `fallback` when absent); throws a readable Error. */
export function positiveNumber(name: string, raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`);
  }
  return value;
}

/** positiveNumber for whole numbers. */
export function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  const value = positiveNumber(name, raw, fallback);
  if (!Number.isInteger(value)) throw new Error(`--${name} must be a whole number, got "${raw ?? ''}"`);
  return value;
}

/**
 * Parses `--flag=value` / `--flag value` options. Throws an Error with a readable message on an
 * unknown flag or a bad value; `env.COFFER_BENCH_TARGET_CMD` is used when --target-cmd is absent.
 */
export function parseBenchOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      scenario: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      idle: { type: 'string' },
      'target-cmd': { type: 'string' },
      'results-dir': { type: 'string' },
      'no-save': { type: 'boolean' },
      verbose: { type: 'boolean' },
      pin: { type: 'boolean' },
      list: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const scenarios = (values.scenario ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'all');
  const targetCommand = values['target-cmd'] ?? env['COFFER_BENCH_TARGET_CMD'] ?? null;
  return {
    scenarios,
    durationSeconds: positiveNumber('duration', values.duration, DEFAULT_OPTIONS.durationSeconds),
    warmupSeconds: positiveNumber('warmup', values.warmup, DEFAULT_OPTIONS.warmupSeconds, true),
    connections: positiveInteger('connections', values.connections, DEFAULT_OPTIONS.connections),
    rounds: positiveInteger('rounds', values.rounds, DEFAULT_OPTIONS.rounds),
    idleSeconds: positiveNumber('idle', values.idle, DEFAULT_OPTIONS.idleSeconds, true),
    targetCommand: targetCommand === null || targetCommand.trim() === '' ? null : targetCommand,
    resultsDir: values['results-dir'] ?? null,
    save: values['no-save'] !== true,
    verbose: values.verbose === true,
    pin: values.pin === true,
    list: values.list === true,
    help: values.help === true,
  };
}
