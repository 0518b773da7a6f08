// `coffer kv …`: KV v1/v2 commands. Each first runs the version preflight, then maps the user's
// path onto the v2 sub-paths (data/, metadata/, delete/, undelete/, destroy/) when needed.

import type { ApiClient, VaultSecret } from '../../api/index.js';
import { ApiError } from '../../api/index.js';
import type { Command, CommandContext } from '../command.js';
import { argsError, exitLocal, exitOk, exitRemote } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { UsageError } from '../flags.js';
import type { FlagSpec } from '../flags.js';
import { kvPreflight, kvV2Path, withoutWrapping } from '../kv-preflight.js';
import type { KvMount } from '../kv-preflight.js';
import { fileSources, parseKvArgs } from '../kv-args.js';
import { formatStructured } from '../output/format.js';
import { goValue } from '../output/go-value.js';
import { mapSection, pathSection } from '../output/kv.js';
import { listTable } from '../output/secret.js';
import { printSecret, printWarnings } from '../print-secret.js';
import { sanitizePath } from './logical.js';

export const mountFlag: FlagSpec = { name: 'mount', kind: 'string', usage: 'The KV mount; PATH is then relative to it (e.g. -mount=secret app).' };
export const fieldFlag: FlagSpec = { name: 'field', kind: 'string', usage: 'Print only the named field of the data, raw.' };
const casFlag: FlagSpec = { name: 'cas', kind: 'int', usage: 'Check-and-set: write only if the current version is this (0: only if absent). -1 disables.', default: -1 };
const versionsFlag: FlagSpec = { name: 'versions', kind: 'string', usage: 'Comma-separated version numbers.' };

export interface Resolved {
  client: ApiClient;
  kv: KvMount;
  /** The user's path, mount included (e.g. `secret/app`). */
  path: string;
}

export async function resolve(ctx: CommandContext, arg: string): Promise<Resolved> {
  const client = ctx.client();
  const mount = ctx.flags.isSet('mount') ? sanitizePath(ctx.flags.str('mount')) : '';
  const path = mount !== '' ? `${mount}/${sanitizePath(arg)}`.replace(/\/$/, '') : sanitizePath(arg);
  const kv = await kvPreflight(client, mount !== '' ? mount : path);
  return { client, kv, path };
}

function logicalPath(r: Resolved, prefix: string): string {
  return r.kv.version === 2 ? kvV2Path(r.path, r.kv.mountPath, prefix) : r.path;
}

function versionList(ctx: CommandContext): string[] {
  const raw = ctx.flags.str('versions');
  const list = raw.split(',').map((v) => v.trim()).filter((v) => v !== '');
  for (const v of list) if (!/^\d+$/.test(v)) throw new UsageError(`invalid version "${v}" in -versions`);
  return list;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Prints a KV v2 write response (version metadata) under a Secret Path header. */
export function printV2Write(ctx: CommandContext, secret: VaultSecret | undefined, fullPath: string): number {
  if (secret === undefined) {
    ctx.out(`Success! Data written to: ${fullPath}`);
    return exitOk;
  }
  const field = ctx.flags.str('field');
  if (field !== '' || ctx.format !== 'table' || secret.wrap_info !== null) return printSecret(ctx, secret, field);
  printWarnings(ctx, secret.warnings);
  ctx.out(pathSection('Secret Path', fullPath) + mapSection('Metadata', secret.data ?? {}));
  return exitOk;
}

export const kvGetCommand: Command = {
  name: 'kv get',
  synopsis: 'Retrieves data from the KV store',
  help: `Usage: coffer kv get [options] PATH

  Reads the secret at PATH (the latest version on KV v2, or -version).`,
  flags: [mountFlag, fieldFlag, { name: 'version', kind: 'int', usage: 'KV v2: the version to read (0 = latest).', default: 0 }],
  http: true,
  output: true,
  async run(ctx) {
    const bad = argsError(ctx, 1, 1);
    if (bad !== undefined) return bad;
    let r: Resolved;
    let secret: VaultSecret | undefined;
    let full = '';
    try {
      r = await resolve(ctx, ctx.args[0] ?? '');
      full = logicalPath(r, 'data');
      const version = ctx.flags.int('version');
      secret = await r.client.read(full, r.kv.version === 2 && version > 0 ? { version } : undefined);
    } catch (e) {
      return apiFailure(ctx, `Error reading ${full !== '' ? full : (ctx.args[0] ?? '')}`, e);
    }
    if (secret === undefined) {
      ctx.err(`No value found at ${full}`);
      return exitRemote;
    }
    const v2 = r.kv.version === 2;
    const field = ctx.flags.str('field');
    if (secret.wrap_info !== null) return printSecret(ctx, secret, field);
    if (field !== '') {
      if (!v2) return printSecret(ctx, secret, field);
      const value = asRecord(secret.data?.['data'])?.[field];
      if (value === undefined || value === null) {
        ctx.err(`Field "${field}" not present in secret`);
        return exitLocal;
      }
      const text = ctx.format === 'table' ? goValue(value) : formatStructured(ctx.format, value).replace(/\n$/, '');
      ctx.io.stdout.write(ctx.io.stdout.isTTY === true ? text + '\n' : text);
      return exitOk;
    }
    if (ctx.format !== 'table') return printSecret(ctx, secret, '');
    printWarnings(ctx, secret.warnings);
    if (!v2) return printSecret(ctx, { ...secret, warnings: null }, '');
    let text = pathSection('Secret Path', full);
    const metadata = asRecord(secret.data?.['metadata']);
    if (metadata !== undefined) text += mapSection('Metadata', metadata) + '\n';
    const data = asRecord(secret.data?.['data']);
    if (data !== undefined) text += mapSection('Data', data);
    ctx.out(text);
    return exitOk;
  },
};

function kvWrite(kind: 'put' | 'patch'): Command {
  return {
    name: `kv ${kind}`,
    synopsis: kind === 'put' ? 'Sets or updates data in the KV store' : 'Sets or updates data in the KV store without overwriting',
    help: `Usage: coffer kv ${kind} [options] PATH [DATA K=V...]

  ${kind === 'put' ? 'Writes a new version of the secret at PATH (replacing its data).' : 'Merges the given keys into the latest version (KV v2 only).'}
  Values take the same forms as for "write" (k=@file, k=-, a lone - for JSON on stdin).`,
    flags: kind === 'put' ? [mountFlag, casFlag, fieldFlag] : [mountFlag, casFlag, fieldFlag, methodFlag],
    http: true,
    output: true,
    async run(ctx) {
      const bad = argsError(ctx, 1, Infinity);
      if (bad !== undefined) return bad;
      const data = await parseKvArgs(ctx.args.slice(1), fileSources(() => ctx.readStdin()));
      if (Object.keys(data).length === 0) {
        ctx.err('Must supply data');
        return exitLocal;
      }
      let r: Resolved;
      let full = '';
      let secret: VaultSecret | undefined;
      try {
        r = await resolve(ctx, ctx.args[0] ?? '');
        full = logicalPath(r, 'data');
        if (r.kv.version === 1) {
          if (kind === 'patch') {
            ctx.err('K/V engine mount must be version 2 for patch support');
            return exitRemote;
          }
          secret = await r.client.write(full, data);
          if (secret === undefined) {
            ctx.out(`Success! Data written to: ${full}`);
            return exitOk;
          }
          return printSecret(ctx, secret, ctx.flags.str('field'));
        }
        const cas = ctx.flags.int('cas');
        const body = { data, options: cas >= 0 ? { cas } : {} };
        if (kind === 'put') secret = await r.client.write(full, body);
        else {
          const method = ctx.flags.str('method');
          if (method !== '' && method !== 'patch' && method !== 'rw') {
            ctx.err(`Unsupported method provided to -method flag: ${method}`);
            return exitLocal;
          }
          if (method === 'rw') return await readThenWrite(ctx, r.client, full, data);
          try {
            secret = await r.client.patch(full, body);
          } catch (e) {
            // Without the patch capability (403) or on a server without PATCH (405), vault's
            // CLI falls back to read-then-write unless -method=patch was asked for explicitly.
            if (method === '' && e instanceof ApiError && (e.status === 403 || e.status === 405)) {
              return await readThenWrite(ctx, r.client, full, data);
            }
            throw e;
          }
        }
      } catch (e) {
        return apiFailure(ctx, `Error writing data to ${full !== '' ? full : (ctx.args[0] ?? '')}`, e);
      }
      return printV2Write(ctx, secret, full);
    },
  };
}

const methodFlag: FlagSpec = {
  name: 'method',
  kind: 'string',
  usage: 'How to patch: "patch" (HTTP PATCH only) or "rw" (read, merge, write with cas). Unset: PATCH, falling back to rw on 403 or 405.',
};

/**
 * vault's read-then-write patch: reads the latest version (unwrapped), merges the new keys over its
 * data (top level only) and writes the result with cas = the version that was read.
 */
async function readThenWrite(ctx: CommandContext, client: ApiClient, full: string, patch: Record<string, unknown>): Promise<number> {
  let current: VaultSecret | undefined;
  try {
    current = await withoutWrapping(client, () => client.read(full));
  } catch (e) {
    return apiFailure(ctx, `Error doing pre-read at ${full}`, e);
  }
  if (current === undefined || current.data === null) {
    ctx.err(`No value found at ${full}`);
    return exitRemote;
  }
  const meta = asRecord(current.data['metadata']);
  if (meta === undefined) {
    ctx.err(`No metadata found at ${full}; patch only works on existing data`);
    return exitRemote;
  }
  const data = asRecord(current.data['data']);
  if (data === undefined) {
    ctx.err(`No data found at ${full}; patch only works on existing data`);
    return exitRemote;
  }
  let secret: VaultSecret | undefined;
  try {
    secret = await client.write(full, { data: { ...data, ...patch }, options: { cas: meta['version'] } });
  } catch (e) {
    return apiFailure(ctx, `Error writing data to ${full}`, e);
  }
  return printV2Write(ctx, secret, full);
}

export const kvPutCommand = kvWrite('put');
export const kvPatchCommand = kvWrite('patch');

export const kvListCommand: Command = {
  name: 'kv list',
  synopsis: 'List data or secrets',
  help: `Usage: coffer kv list [options] PATH

  Lists the keys at PATH (on KV v2, under its metadata/ path).`,
  flags: [mountFlag],
  http: true,
  output: true,
  async run(ctx) {
    const bad = argsError(ctx, 1, 1);
    if (bad !== undefined) return bad;
    let full = '';
    let secret: VaultSecret | undefined;
    try {
      const r = await resolve(ctx, ctx.args[0] ?? '');
      full = logicalPath(r, 'metadata').replace(/\/*$/, '/');
      secret = await r.client.list(full);
    } catch (e) {
      return apiFailure(ctx, `Error listing ${full !== '' ? full : (ctx.args[0] ?? '')}`, e);
    }
    if (secret !== undefined && secret.wrap_info !== null) return printSecret(ctx, secret, '');
    const keys = secret?.data?.['keys'];
    if (secret === undefined || !Array.isArray(keys)) {
      ctx.err(`No value found at ${full}`);
      return exitRemote;
    }
    if (ctx.format !== 'table') ctx.out(formatStructured(ctx.format, keys));
    else ctx.out(listTable(keys));
    return exitOk;
  },
};

export const kvDeleteCommand: Command = {
  name: 'kv delete',
  synopsis: 'Deletes versions in the KV store',
  help: `Usage: coffer kv delete [options] PATH

  Soft-deletes the latest version (KV v2), or the versions given with -versions.
  On KV v1 the data is removed.`,
  flags: [mountFlag, versionsFlag],
  http: true,
  output: false,
  async run(ctx) {
    const bad = argsError(ctx, 1, 1);
    if (bad !== undefined) return bad;
    const versions = versionList(ctx);
    let full = '';
    try {
      const r = await resolve(ctx, ctx.args[0] ?? '');
      if (r.kv.version === 2 && versions.length > 0) {
        full = kvV2Path(r.path, r.kv.mountPath, 'delete');
        await r.client.write(full, { versions });
      } else {
        full = logicalPath(r, 'data');
        await r.client.delete(full);
      }
    } catch (e) {
      return apiFailure(ctx, `Error deleting ${full !== '' ? full : (ctx.args[0] ?? '')}`, e);
    }
    ctx.out(`Success! Data deleted (if it existed) at: ${full}`);
    return exitOk;
  },
};

function kvVersionsOp(op: 'undelete' | 'destroy'): Command {
  return {
    name: `kv ${op}`,
    synopsis: op === 'undelete' ? 'Undeletes versions in the KV store' : 'Permanently removes one or more versions in the KV store',
    help: `Usage: coffer kv ${op} [options] -versions=N[,N...] PATH

  ${op === 'undelete' ? 'Restores soft-deleted versions' : 'Permanently destroys the data of versions'} of a KV v2 secret.`,
    flags: [mountFlag, versionsFlag],
    http: true,
    output: false,
    async run(ctx) {
      const bad = argsError(ctx, 1, 1);
      if (bad !== undefined) return bad;
      const versions = versionList(ctx);
      if (versions.length === 0) {
        ctx.err('No versions provided, use the "-versions" flag to specify the version');
        return exitLocal;
      }
      let full = '';
      try {
        const r = await resolve(ctx, ctx.args[0] ?? '');
        if (r.kv.version !== 2) {
          ctx.err(`${op} is only supported on KV version 2 mounts`);
          return exitLocal;
        }
        full = kvV2Path(r.path, r.kv.mountPath, op);
        await r.client.write(full, { versions });
      } catch (e) {
        return apiFailure(ctx, `Error writing data to ${full !== '' ? full : (ctx.args[0] ?? '')}`, e);
      }
      ctx.out(`Success! Data written to: ${full}`);
      return exitOk;
    },
  };
}

export const kvUndeleteCommand = kvVersionsOp('undelete');
export const kvDestroyCommand = kvVersionsOp('destroy');

export const kvMetadataGetCommand: Command = {
  name: 'kv metadata get',
  synopsis: 'Retrieves key metadata from the KV store',
  help: `Usage: coffer kv metadata get [options] PATH

  Prints the metadata of a KV v2 secret and of each of its versions.`,
  flags: [mountFlag],
  http: true,
  output: true,
  async run(ctx) {
    const bad = argsError(ctx, 1, 1);
    if (bad !== undefined) return bad;
    let full = '';
    let secret: VaultSecret | undefined;
    try {
      const r = await resolve(ctx, ctx.args[0] ?? '');
      if (r.kv.version !== 2) {
        ctx.err('Metadata not supported on KV Version 1');
        return exitLocal;
      }
      full = kvV2Path(r.path, r.kv.mountPath, 'metadata');
      secret = await r.client.read(full);
    } catch (e) {
      return apiFailure(ctx, `Error reading ${full !== '' ? full : (ctx.args[0] ?? '')}`, e);
    }
    if (secret === undefined) {
      ctx.err(`No value found at ${full}`);
      return exitRemote;
    }
    if (ctx.format !== 'table' || secret.wrap_info !== null) return printSecret(ctx, secret, '');
    const data = { ...(secret.data ?? {}) };
    const versions = asRecord(data['versions']) ?? {};
    delete data['versions'];
    let text = pathSection('Metadata Path', full) + mapSection('Metadata', data);
    for (const v of Object.keys(versions).sort((a, b) => Number(a) - Number(b))) {
      text += '\n' + mapSection(`Version ${v}`, asRecord(versions[v]) ?? {});
    }
    ctx.out(text);
    return exitOk;
  },
};

export const kvMetadataDeleteCommand: Command = {
  name: 'kv metadata delete',
  synopsis: 'Deletes all versions and metadata for a key in the KV store',
  help: `Usage: coffer kv metadata delete [options] PATH

  Permanently deletes a KV v2 secret: every version and its metadata.`,
  flags: [mountFlag],
  http: true,
  output: false,
  async run(ctx) {
    const bad = argsError(ctx, 1, 1);
    if (bad !== undefined) return bad;
    let full = '';
    try {
      const r = await resolve(ctx, ctx.args[0] ?? '');
      if (r.kv.version !== 2) {
        ctx.err('Metadata not supported on KV Version 1');
        return exitLocal;
      }
      full = kvV2Path(r.path, r.kv.mountPath, 'metadata');
      await r.client.delete(full);
    } catch (e) {
      return apiFailure(ctx, `Error deleting ${full !== '' ? full : (ctx.args[0] ?? '')}`, e);
    }
    ctx.out(`Success! Data deleted (if it existed) at: ${full}`);
    return exitOk;
  },
};

export const kvEnableVersioningCommand: Command = {
  name: 'kv enable-versioning',
  synopsis: 'Turns on versioning for a KV store',
  help: `Usage: coffer kv enable-versioning [options] PATH

  Upgrades the KV v1 mount at PATH to KV v2 (tunes options.version=2).`,
  flags: [],
  http: true,
  output: false,
  async run(ctx) {
    const bad = argsError(ctx, 1, 1);
    if (bad !== undefined) return bad;
    const path = sanitizePath(ctx.args[0] ?? '') + '/';
    try {
      const res = await ctx.client().tuneMount(path, { options: { version: '2' } });
      if (res !== undefined) printWarnings(ctx, res.warnings);
    } catch (e) {
      if (e instanceof ApiError) return apiFailure(ctx, `Error tuning secrets engine ${path}`, e);
      throw e;
    }
    ctx.out(`Success! Tuned the secrets engine at: ${path}`);
    return exitOk;
  },
};
