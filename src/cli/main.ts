// Entry point of the `coffer` CLI. `main()` is testable in process; when this module is the
// script node was started with (directly or through bin/coffer's symlinked path), it runs itself.

import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CliIo } from './command.js';
import { runCli } from './run.js';

/** Runs the CLI with `argv` (e.g. `process.argv.slice(2)`); resolves to the process exit code. */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  return runCli(argv, io ?? { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
}

/**
 * What bin/coffer calls: main() on the real process streams. Resolves to the exit code; the
 * caller sets process.exitCode (so output is flushed before exit).
 */
export async function run(argv: string[] = process.argv.slice(2)): Promise<number> {
  return main(argv);
}

function isEntryModule(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(fs.realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryModule()) process.exitCode = await run();
