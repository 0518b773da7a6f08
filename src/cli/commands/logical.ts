// The generic logical commands: `read`, `list`, `write`, `patch`, `delete` on any path.

import type { Query, VaultSecret } from '../../api/index.js';
import type { Command, CommandContext } from '../command.js';
import { argsError, exitLocal, exitOk, exitRemote } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { fileSources, parseKvArgs } from '../kv-args.js';
import { formatStructured } from '../output/format.js';
import { listTable } from '../output/secret.js';
import { printSecret, printWarnings } from '../print-secret.js';

const fieldFlag = { name: 'field', kind: 'string', usage: 'Print only the named field, raw (no table, no trailing newline).' } as const;
const forceFlag = { name: 'force', kind: 'bool', usage: 'Allow the operation with no key=value pairs (alias -f).', aliases: ['f'] } as const;

/** Trims spaces and the leading/trailing slashes, as vault does before using a path. */
export function sanitizePath(p: string): string {
  return p.trim().replace(/^\/+/, '').replace(/\/+$/, '');
}

function kvData(ctx: CommandContext, args: readonly string[]): Promise<Record<string, unknown>> {
  return parseKvArgs(args, fileSources(() => ctx.readStdin()));
}

function toQuery(data: Record<string, unknown>): Query {
  const q: Query = {};
  for (const [k, v] of Object.entries(data)) q[k] = Array.isArray(v) ? v.map(String) : String(v);
  return q;
}

export const readCommand: Command = {
  name: 'read',
  synopsis: 'Read data and retrieve secrets',
  help: `Usage: coffer read [options] PATH [KEY=VALUE ...]

  Reads data from the server at the given path. KEY=VALUE pairs are sent as query
  parameters.`,
  flags: [fieldFlag],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 1, Infinity);
    if (argsFailed !== undefined) return argsFailed;
    const path = sanitizePath(ctx.args[0] ?? '');
    const data = await kvData(ctx, ctx.args.slice(1));
    let secret: VaultSecret | undefined;
    try {
      secret = await ctx.client().read(path, Object.keys(data).length > 0 ? toQuery(data) : undefined);
    } catch (e) {
      return apiFailure(ctx, `Error reading ${path}`, e);
    }
    if (secret === undefined) {
      ctx.err(`No value found at ${path}`);
      return exitRemote;
    }
    return printSecret(ctx, secret, ctx.flags.str('field'));
  },
};

export const listCommand: Command = {
  name: 'list',
  synopsis: 'List data or secrets',
  help: `Usage: coffer list [options] PATH

  Lists the keys under PATH. Keys ending in "/" are folders.`,
  flags: [],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 1, 1);
    if (argsFailed !== undefined) return argsFailed;
    const path = sanitizePath(ctx.args[0] ?? '') + '/';
    let secret: VaultSecret | undefined;
    try {
      secret = await ctx.client().list(path);
    } catch (e) {
      return apiFailure(ctx, `Error listing ${path}`, e);
    }
    if (secret === undefined) {
      ctx.err(`No value found at ${path}`);
      return exitRemote;
    }
    if (secret.wrap_info !== null) return printSecret(ctx, secret, '');
    const keys = secret.data?.['keys'];
    if (!Array.isArray(keys)) {
      ctx.err(`No entries found at ${path}`);
      return exitRemote;
    }
    // Like vault, the structured formats print the key list itself, not the envelope.
    if (ctx.format !== 'table') ctx.out(formatStructured(ctx.format, keys));
    else {
      printWarnings(ctx, secret.warnings);
      ctx.out(listTable(keys));
    }
    return exitOk;
  },
};

function writeLike(method: 'write' | 'patch'): Command {
  const verb = method === 'write' ? 'write' : 'patch';
  return {
    name: verb,
    synopsis: method === 'write' ? 'Write data, configuration, and secrets' : 'Patch data, configuration, and secrets',
    help: `Usage: coffer ${verb} [options] PATH [DATA K=V...]

  ${method === 'write' ? 'Writes (PUT)' : 'Merges (PATCH, JSON merge patch)'} data at the given path.
  Values: "k=v"; "k=@file" reads the value from a file; "k=-" reads it from stdin.
  A lone "-" reads a JSON object from stdin; a lone "@file" reads one from a file.`,
    flags: [forceFlag, fieldFlag],
    http: true,
    output: true,
    async run(ctx) {
      const argsFailed = argsError(ctx, 1, Infinity);
      if (argsFailed !== undefined) return argsFailed;
      const path = sanitizePath(ctx.args[0] ?? '');
      const data = await kvData(ctx, ctx.args.slice(1));
      if (Object.keys(data).length === 0 && !ctx.flags.bool('force')) {
        ctx.err('Must supply data or use -force');
        return exitLocal;
      }
      let secret: VaultSecret | undefined;
      try {
        secret = method === 'write' ? await ctx.client().write(path, data) : await ctx.client().patch(path, data);
      } catch (e) {
        return apiFailure(ctx, `Error writing data to ${path}`, e);
      }
      const field = ctx.flags.str('field');
      const empty = secret === undefined || (secret.data === null && secret.auth === null && secret.wrap_info === null);
      if (secret === undefined || (empty && field === '' && ctx.format === 'table')) {
        if (field !== '') {
          ctx.err(`Field "${field}" not present in secret`);
          return exitLocal;
        }
        if (secret !== undefined) printWarnings(ctx, secret.warnings);
        ctx.out(`Success! Data written to: ${path}`);
        return exitOk;
      }
      return printSecret(ctx, secret, field);
    },
  };
}

export const writeCommand = writeLike('write');
export const patchCommand = writeLike('patch');

export const deleteCommand: Command = {
  name: 'delete',
  synopsis: 'Delete secrets and configuration',
  help: `Usage: coffer delete [options] PATH [KEY=VALUE ...]

  Deletes data at the given path. KEY=VALUE pairs are sent as query parameters.`,
  flags: [],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 1, Infinity);
    if (argsFailed !== undefined) return argsFailed;
    const path = sanitizePath(ctx.args[0] ?? '');
    const data = await kvData(ctx, ctx.args.slice(1));
    let secret: VaultSecret | undefined;
    try {
      secret = await ctx.client().delete(path, Object.keys(data).length > 0 ? toQuery(data) : undefined);
    } catch (e) {
      return apiFailure(ctx, `Error deleting ${path}`, e);
    }
    if (secret !== undefined) printWarnings(ctx, secret.warnings);
    ctx.out(`Success! Data deleted (if it existed) at: ${path}`);
    return exitOk;
  },
};
