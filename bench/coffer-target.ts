// Starts the server under test (Coffer's dev server, or a stand-in from --target-cmd) on a free
// 127.0.0.1 port with a random root token, and waits until GET /v1/sys/health answers 200.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { ChildRegistry, TrackedChild } from './children.js';
import { sendRequest } from './http-client.js';
import { buildTargetCommand, DEFAULT_TARGET_COMMAND } from './target-command.js';

export interface RunningTarget {
  readonly child: TrackedChild;
  readonly port: number;
  readonly token: string;
  /** The command as run, with the token masked (it ends up in result files). */
  readonly commandLine: string;
}

/** Asks the kernel for a free TCP port on 127.0.0.1 (free now; the target binds it moments later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address !== null && typeof address === 'object' ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export interface HealthWait {
  /** How many times to ask before giving up. */
  readonly tries: number;
  readonly intervalMs: number;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls GET /v1/sys/health at most `tries` times. Resolves on the first 200; rejects when the
 * target exits, or when the tries run out (quoting the last answer and the target's output).
 */
export async function waitUntilHealthy(target: TrackedChild, port: number, wait: HealthWait): Promise<void> {
  let exited = false;
  void target.exited.then(() => (exited = true));
  let last = 'no answer';
  for (let i = 0; i < wait.tries; i++) {
    if (exited) break;
    try {
      const reply = await sendRequest(port, { method: 'GET', path: '/v1/sys/health' }, 1000);
      if (reply.status === 200) return;
      last = `status ${reply.status}: ${reply.body.toString('utf8').slice(0, 200)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await delay(wait.intervalMs);
  }
  const { exitCode, signalCode } = target.process;
  const why = exited
    ? `exited (${signalCode ?? `code ${String(exitCode)}`}) before it became healthy`
    : `was not healthy after ${wait.tries} tries (${last})`;
  throw new Error(`the target ${why}\n--- its output ---\n${target.output()}`);
}

export interface StartTargetOptions {
  readonly template: string | null;
  readonly repo: string;
  readonly wait?: HealthWait;
}

export async function startTarget(children: ChildRegistry, options: StartTargetOptions): Promise<RunningTarget> {
  const port = await freePort();
  const token = `bench-${randomBytes(12).toString('hex')}`;
  const command = buildTargetCommand(options.template ?? DEFAULT_TARGET_COMMAND, {
    repo: options.repo,
    token,
    port,
    nodePath: process.execPath,
  });
  const child = children.spawn('coffer', command.file, command.args, { cwd: options.repo });
  await waitUntilHealthy(child, port, options.wait ?? { tries: 150, intervalMs: 100 });
  return { child, port, token, commandLine: [command.file, ...command.args].join(' ').replaceAll(token, '<token>') };
}
