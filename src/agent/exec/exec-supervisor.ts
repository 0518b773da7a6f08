// The process supervisor of `exec` + `env_template`: starts the child once every env template has
// rendered, restarts it (stop signal, SIGKILL after a timeout) when a rendered value changes,
// forwards signals to it, and reports its exit code (128 + signal number when killed).

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Logger } from '../../shared/index.js';
import type { Timers } from '../timers.js';

export interface ExecSupervisorOptions {
  command: readonly string[];
  restartOnSecretChanges: 'always' | 'never';
  restartStopSignal: NodeJS.Signals;
  /** How long a stopping child may take before SIGKILL; Vault uses 30 s. */
  stopTimeoutMs?: number;
  /** The agent's own environment; rendered variables are added on top. */
  baseEnv: Readonly<Record<string, string | undefined>>;
  timers: Timers;
  logger: Logger;
  /** Child stdio; 'inherit' by default (the child shares the agent's stdout/stderr). */
  stdio?: 'inherit' | 'ignore';
}

export interface ExecSupervisor {
  /**
   * Gives the rendered variables. The first call starts the child; later calls with different
   * values restart it when restart_on_secret_changes is "always".
   */
  update(vars: Readonly<Record<string, string>>): Promise<void>;
  /** Sends `signal` to the running child (no-op without one). */
  forward(signal: NodeJS.Signals): void;
  /** Stops the child (stop signal, then SIGKILL) and resolves once it is gone. */
  stop(): Promise<void>;
  /** Resolves with the exit code when the child exits by itself (not for restarts or stop()). */
  readonly exited: Promise<number>;
  /** The running child's pid, if any. */
  pid(): number | undefined;
}

export function createExecSupervisor(opts: ExecSupervisorOptions): ExecSupervisor {
  const log = opts.logger.child({ component: 'exec' });
  let child: ChildProcess | undefined;
  let current: string | undefined;
  let expectingExit = false;
  let resolveExited!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExited = r));
  let chain: Promise<void> = Promise.resolve();

  function codeOf(code: number | null, signal: NodeJS.Signals | null): number {
    if (code !== null) return code;
    const n = signal !== null ? constants.signals[signal] : undefined;
    return 128 + (typeof n === 'number' ? n : 0);
  }

  function startChild(vars: Readonly<Record<string, string>>): void {
    const [file, ...args] = opts.command;
    if (file === undefined) throw new Error('exec: empty command');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.baseEnv)) if (v !== undefined) env[k] = v;
    Object.assign(env, vars);
    const c = spawn(file, args, { env, stdio: opts.stdio ?? 'inherit' });
    child = c;
    expectingExit = false;
    log.info({ command: opts.command.join(' '), pid: c.pid }, 'child process started');
    c.on('error', (e) => {
      log.error({ error: e.message }, 'could not start child process');
      if (child === c) {
        child = undefined;
        resolveExited(127);
      }
    });
    c.on('exit', (code, signal) => {
      if (child !== c) return;
      child = undefined;
      if (expectingExit) return;
      const exitCode = codeOf(code, signal);
      log.info({ code: exitCode }, 'child process exited');
      resolveExited(exitCode);
    });
  }

  function stopChild(): Promise<void> {
    const c = child;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    expectingExit = true;
    return new Promise((resolve) => {
      const kill = opts.timers.setTimeout(() => c.kill('SIGKILL'), opts.stopTimeoutMs ?? 30_000);
      c.once('exit', () => {
        opts.timers.clearTimeout(kill);
        resolve();
      });
      c.kill(opts.restartStopSignal);
    });
  }

  return {
    update(vars) {
      const key = JSON.stringify(Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      chain = chain.then(async () => {
        if (current === undefined) {
          current = key;
          startChild(vars);
          return;
        }
        if (key === current) return;
        current = key;
        if (opts.restartOnSecretChanges === 'never' || child === undefined) return;
        log.info('rendered environment changed; restarting child process');
        await stopChild();
        startChild(vars);
      });
      return chain;
    },
    forward(signal) {
      child?.kill(signal);
    },
    stop() {
      chain = chain.then(stopChild);
      return chain;
    },
    exited,
    pid: () => child?.pid,
  };
}
