// Small process and port helpers shared by the throwaway database servers used in tests.

import { execFile } from 'node:child_process';
import type { ExecFileSyncOptions } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion; rejects with its output when it exits non-zero. */
export async function run(cmd: string, args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(cmd, [...args], { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.message ?? ''}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

/** Whether this process runs as root (database servers then run as their service user). */
export const runningAsRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Polls `probe` until it resolves, up to `attempts` times with `intervalMs` between tries;
 * rejects with the last error. Used to wait for a server to accept connections.
 */
export async function waitUntil(probe: () => Promise<void>, what: string, attempts = 150, intervalMs = 100): Promise<void> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await probe();
      return;
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
  throw new Error(`${what} did not become ready: ${last instanceof Error ? last.message : String(last)}`);
}

const exitHooks = new Set<() => void>();
let hooked = false;

/**
 * Registers a synchronous last-resort cleanup for when the test process exits with a server
 * still running (a failed `after`, an uncaught error); returns its unregister function.
 */
export function onProcessExit(fn: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const f of exitHooks) {
        try {
          f();
        } catch {
          // Best effort: the process is going away.
        }
      }
    });
  }
  exitHooks.add(fn);
  return () => exitHooks.delete(fn);
}

/** execFileSync without output, for exit hooks. */
export function runSync(cmd: string, args: readonly string[]): void {
  const opts: ExecFileSyncOptions = { stdio: 'ignore', timeout: 20_000 };
  execFileSync(cmd, [...args], opts);
}

/** A database connection as far as a login check needs it. */
export interface QueryableConnection {
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

/** Whether `open()` gives a connection that answers `SELECT 1`; false on any failure (bad credentials, refused). */
export async function answersSelect(open: () => Promise<QueryableConnection>): Promise<boolean> {
  try {
    const c = await open();
    await c.query('SELECT 1');
    await c.end();
    return true;
  } catch {
    return false;
  }
}
