// The dispatcher: picks the command, parses its flags Go-style, builds its context, runs it and
// turns what escapes into an exit code (1 local error, 2 API error, 127 unknown command).

import fs from 'node:fs';
import type { ApiClient } from '../api/index.js';
import type * as Api from '../api/index.js';
import type { CliIo, Command, CommandContext } from './command.js';
import { exitLocal, exitOk, exitRemote, exitUnknownCommand } from './command.js';
import { CofferError, parseDurationSeconds } from '../shared/index.js';
import { parseFlags, UsageError } from './flags.js';
import type { FlagSpec, ParsedFlags } from './flags.js';
import { parseFormat } from './output/format.js';
import type { OutputFormat } from './output/format.js';
import { findCommand, findGroup, helpTexts } from './registry.js';

export const cliVersion = '0.1.0';

export const httpFlags: readonly FlagSpec[] = [
  { name: 'address', kind: 'string', usage: 'Address of the server (overrides VAULT_ADDR).' },
  { name: 'ca-cert', kind: 'string', usage: 'Path to a PEM CA certificate to verify the server with (overrides VAULT_CACERT).' },
  { name: 'tls-skip-verify', kind: 'bool', usage: 'Do not verify the server\'s TLS certificate (overrides VAULT_SKIP_VERIFY). Insecure.' },
  { name: 'namespace', kind: 'string', usage: 'Namespace to send in X-Vault-Namespace (overrides VAULT_NAMESPACE).' },
  {
    name: 'wrap-ttl',
    kind: 'string',
    usage: 'Wraps the response in a single-use token with this TTL (e.g. "5m"); sent as X-Vault-Wrap-TTL (overrides VAULT_WRAP_TTL).',
  },
];

export const outputFlags: readonly FlagSpec[] = [
  { name: 'format', kind: 'string', usage: 'Output format: "table", "json" or "yaml" (overrides VAULT_FORMAT).', default: 'table' },
];

const helpWords = new Set(['-h', '-help', '--help', 'help']);
const versionWords = new Set(['-v', '-version', '--version', 'version']);

function line(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    io.stderr.write((await helpTexts()).topLevelHelp());
    return exitUnknownCommand;
  }
  if (helpWords.has(first) && argv.length === 1) {
    io.stdout.write((await helpTexts()).topLevelHelp());
    return exitOk;
  }
  if (versionWords.has(first)) {
    io.stdout.write(`Coffer v${cliVersion}\n`);
    return exitOk;
  }
  const found = await findCommand(argv);
  if (found === undefined) {
    const group = await findGroup(argv);
    if (group !== undefined) {
      const next = argv[group.split(' ').length];
      const wantsHelp = next !== undefined && helpWords.has(next);
      (wantsHelp ? io.stdout : io.stderr).write((await helpTexts()).groupHelp(group));
      return wantsHelp ? exitOk : exitUnknownCommand;
    }
    io.stderr.write(`Unknown command: ${argv.slice(0, 2).join(' ')}\n\n${(await helpTexts()).topLevelHelp()}`);
    return exitUnknownCommand;
  }
  return runCommand(found.command, found.rest, io);
}

async function runCommand(command: Command, rest: readonly string[], io: CliIo): Promise<number> {
  const allFlags = [...command.flags, ...(command.http ? httpFlags : []), ...(command.output ? outputFlags : [])];
  let flags: ParsedFlags;
  try {
    flags = parseFlags(rest, allFlags);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(line(e.message));
    return exitLocal;
  }
  if (flags.help) {
    io.stdout.write((await helpTexts()).commandHelp(command, allFlags));
    return exitOk;
  }
  if (flags.ignoredFlags.length > 0) {
    io.stderr.write(
      `Command flags must be provided before positional arguments. The following arguments will not be parsed as flags: [${flags.ignoredFlags.join(',')}]\n`,
    );
  }
  let format: OutputFormat = 'table';
  if (command.output) {
    const requested = flags.isSet('format') ? flags.str('format') : (io.env['VAULT_FORMAT'] ?? 'table');
    const parsed = parseFormat(requested === '' ? 'table' : requested);
    if (parsed === undefined) {
      io.stderr.write(`Invalid output format: ${requested}\n`);
      return exitLocal;
    }
    format = parsed;
  }

  // The API client only for commands that talk to a server (not `server`, `agent`, `policy fmt`).
  const api = command.http ? await import('../api/index.js') : undefined;
  let client: ApiClient | undefined;
  let stdinText: Promise<string> | undefined;
  const ctx: CommandContext = {
    io,
    flags,
    args: flags.args,
    format,
    client() {
      if (api === undefined) throw new Error(`the ${command.name} command has no server connection`);
      client ??= buildClient(api, flags, io);
      return client;
    },
    out: (text) => io.stdout.write(line(text)),
    err: (text) => io.stderr.write(line(text)),
    readStdin() {
      stdinText ??= readAll(io.stdin);
      return stdinText;
    },
  };
  try {
    return await command.run(ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(line(e.message));
      return exitLocal;
    }
    if (api !== undefined && e instanceof api.ApiError) {
      io.stderr.write(line(e.message));
      return exitRemote;
    }
    io.stderr.write(line(`Error: ${e instanceof Error ? e.message : String(e)}`));
    return exitLocal;
  } finally {
    client?.close();
  }
}

function buildClient(api: typeof Api, flags: ParsedFlags, io: CliIo): ApiClient {
  let opts;
  try {
    opts = api.apiOptionsFromEnv(io.env);
  } catch (e) {
    throw new UsageError(`Error loading client configuration: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (flags.isSet('address')) opts.address = flags.str('address');
  if (flags.isSet('ca-cert')) {
    try {
      opts.caCert = fs.readFileSync(flags.str('ca-cert'));
    } catch (e) {
      throw new UsageError(`Error reading -ca-cert: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (flags.isSet('tls-skip-verify')) opts.skipVerify = flags.bool('tls-skip-verify');
  if (flags.isSet('namespace')) opts.namespace = flags.str('namespace');
  if (flags.isSet('wrap-ttl')) opts.wrapTTL = flags.str('wrap-ttl');
  if (opts.wrapTTL !== undefined) checkWrapTTL(opts.wrapTTL);
  return api.createApiClient(opts);
}

// vault's -wrap-ttl is a duration flag: reject what it could not parse before sending anything.
function checkWrapTTL(raw: string): void {
  try {
    parseDurationSeconds(raw, 'wrap-ttl');
  } catch (e) {
    if (e instanceof CofferError) throw new UsageError(`invalid value "${raw}" for flag -wrap-ttl: ${e.message}`);
    throw e;
  }
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}
