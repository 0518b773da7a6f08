// Runs the real `bin/coffer server` as a child process, for tests that need a server the way
// users run it (restart on the same files, SIGKILL, real clients in other languages).

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file's compiled location (dist/src/testing/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

/** A temp dir with a config for sqlite storage at <dir>/coffer.db on an ephemeral port. */
export async function sqliteConfigDir(): Promise<{ dir: string; configPath: string; dbPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-proc-'));
  const dbPath = join(dir, 'coffer.db');
  const configPath = join(dir, 'server.hcl');
  await writeFile(
    configPath,
    `storage "sqlite" {\n  path = "${dbPath}"\n}\nlistener "tcp" {\n  address = "127.0.0.1:0"\n  tls_disable = true\n}\nlog_level = "warn"\n`,
  );
  return { dir, configPath, dbPath };
}

/** Starts `coffer server` with the given arguments and resolves once it reports its address. */
export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'coffer'), 'server', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // A throwaway HOME: dev mode writes ~/.vault-token, as Vault does.
    env: { ...process.env, VAULT_ADDR: '', VAULT_TOKEN: '', HOME: mkdtempSync(join(tmpdir(), 'coffer-home-')) },
  });
  let out = '';
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolveUrl, reject) => {
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = /Listening on (\S+?)(?:,|\s)/.exec(out);
      if (m?.[1]) resolveUrl(`http://${m[1]}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${String(code)} before listening:\n${out}`)));
  });
  const waitExit = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return { url, child, output: () => out, stop: () => waitExit('SIGTERM'), kill: () => waitExit('SIGKILL') };
}
