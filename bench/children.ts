// Keeps track of every child process the harness starts so that all of them are stopped at the end,
// on error and on SIGINT/SIGTERM: no server or load generator outlives a run.
import { fork, spawn } from 'node:child_process';
import type { ChildProcess, ForkOptions, SpawnOptions } from 'node:child_process';

export interface TrackedChild {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has exited (immediately if it already has). */
  readonly exited: Promise<void>;
  /** Last lines of its stdout/stderr, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildRegistry {
  /** Spawns a program in its own process group (so helpers it starts are stopped with it). */
  spawn(name: string, file: string, args: readonly string[], options?: SpawnOptions): TrackedChild;
  /** Forks a Node script with an IPC channel. */
  fork(name: string, modulePath: string, args?: readonly string[], options?: ForkOptions): TrackedChild;
  stopAll(graceMs?: number): Promise<void>;
  /** Last resort for process 'exit': SIGKILL whatever is still running, synchronously. */
  killAllNow(): void;
}

const OUTPUT_LINES = 40;

export function createChildRegistry(echo: (line: string) => void = () => undefined): ChildRegistry {
  // Each live child with the function that SIGKILLs it (its whole group for spawned programs).
  const live = new Map<TrackedChild, () => void>();

  const track = (name: string, child: ChildProcess, group: boolean): TrackedChild => {
    // Without a listener a failed spawn's 'error' event would crash the harness.
    child.on('error', (err) => echo(`[${name}] ${err.message}`));
    if (child.pid === undefined) throw new Error(`could not start ${name} (${child.spawnfile})`);
    const pid = child.pid;
    const lines: string[] = [];
    const collect = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        lines.push(line);
        if (lines.length > OUTPUT_LINES) lines.shift();
        echo(`[${name}] ${line}`);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let done = child.exitCode !== null || child.signalCode !== null;
    const exited = new Promise<void>((resolve) => {
      if (done) resolve();
      child.once('exit', () => {
        done = true;
        resolve();
      });
    });
    const signal = (sig: NodeJS.Signals): void => {
      if (done) return;
      try {
        // A negative pid addresses the process group this child leads.
        if (group) process.kill(-pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    const tracked: TrackedChild = {
      name,
      process: child,
      pid,
      exited,
      output: () => lines.join('\n'),
      async stop(graceMs = 3000): Promise<void> {
        signal('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const killed = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            signal('SIGKILL');
            resolve();
          }, graceMs);
        });
        await Promise.race([exited, killed]);
        clearTimeout(timer);
        await exited;
        live.delete(tracked);
      },
    };
    live.set(tracked, () => signal('SIGKILL'));
    void exited.then(() => live.delete(tracked));
    return tracked;
  };

  return {
    spawn(name, file, args, options = {}) {
      const child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
      return track(name, child, true);
    },
    fork(name, modulePath, args = [], options = {}) {
      const child = fork(modulePath, [...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], ...options });
      return track(name, child, false);
    },
    async stopAll(graceMs) {
      await Promise.all([...live.keys()].map((c) => c.stop(graceMs)));
    },
    killAllNow() {
      for (const kill of live.values()) kill();
    },
  };
}
