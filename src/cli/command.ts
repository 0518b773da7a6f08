// What a CLI command is and what it gets to run: parsed flags, I/O streams, a lazily built API
// client, and the chosen output format. Exit codes follow vault: 0 ok, 1 local error, 2 remote.

import type { ApiClient, Env } from '../api/index.js';
import type { Clock } from '../shared/index.js';
import type { FlagSpec, ParsedFlags } from './flags.js';
import type { OutputFormat } from './output/format.js';

export interface TextOut {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface TextIn extends AsyncIterable<Buffer | string> {
  isTTY?: boolean;
}

export interface CliIo {
  stdout: TextOut;
  stderr: TextOut;
  stdin: TextIn;
  env: Env;
  /** "Now" for time comparisons (e.g. whether a KV version's deletion_time has passed); default: the system clock. */
  clock?: Clock;
}

export const exitOk = 0;
/** Local errors: bad flags, wrong argument count, unreadable files. */
export const exitLocal = 1;
/** Remote errors: the server refused, or could not be reached. */
export const exitRemote = 2;
/** Unknown command or a command group without a subcommand. */
export const exitUnknownCommand = 127;

export interface CommandContext {
  readonly io: CliIo;
  readonly flags: ParsedFlags;
  /** Positional arguments (after the flags). */
  readonly args: string[];
  readonly format: OutputFormat;
  /** The client, built on first use from the environment and the HTTP flags. */
  client(): ApiClient;
  /** Writes `text` to stdout (a newline is added unless it already ends with one). */
  out(text: string): void;
  /** Writes `text` to stderr (a newline is added unless it already ends with one). */
  err(text: string): void;
  /** Reads stdin to the end (once; later calls return the same text). */
  readStdin(): Promise<string>;
}

export interface Command {
  /** Words that select it, e.g. `operator init`. */
  name: string;
  synopsis: string;
  /** The `Usage:` line and description shown by `-h`. */
  help: string;
  flags: readonly FlagSpec[];
  /** Adds -address, -ca-cert, -tls-skip-verify, -namespace. */
  http: boolean;
  /** Adds -format. */
  output: boolean;
  run(ctx: CommandContext): Promise<number>;
}

/** Fails with a vault-style argument-count message when `args` has the wrong length. */
/** checkArgs, reporting the problem on stderr: the exit code to return, or undefined when fine. */
export function argsError(ctx: CommandContext, min: number, max: number): number | undefined {
  const bad = checkArgs(ctx, min, max);
  if (bad === undefined) return undefined;
  ctx.err(bad);
  return exitLocal;
}

export function checkArgs(ctx: CommandContext, min: number, max: number): string | undefined {
  const n = ctx.args.length;
  if (n < min) return min === max ? `Not enough arguments (expected ${min}, got ${n})` : `Not enough arguments (expected ${min}+, got ${n})`;
  if (n > max) return `Too many arguments (expected ${max}, got ${n})`;
  return undefined;
}
