// Test harness: runs main() in process with captured stdout/stderr, a given stdin and env.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Env } from '../../api/index.js';
import type { Clock } from '../../shared/index.js';
import { main } from '../main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `coffer <argv>`; `env` is the whole environment (nothing is inherited from the process).
 * `clock`, when given, is the CLI's "now".
 */
export async function runCoffer(argv: string[], env: Env, stdin = '', stdoutIsTTY = false, clock?: Clock): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s), isTTY: stdoutIsTTY },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from(stdin === '' ? [] : [stdin]),
    env,
    ...(clock !== undefined ? { clock } : {}),
  });
  return { code, stdout, stderr };
}

/** A fresh empty directory to use as HOME, so a real ~/.vault-token is never read. */
export function tempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-cli-home-'));
}
