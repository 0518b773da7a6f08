// `coffer secrets enable|disable|list|tune|move`: managing secrets engine mounts (sys/mounts).

import type { RemountResult, TuneInput, VaultSecret } from '../../api/index.js';
import type { Command } from '../command.js';
import { argsError, exitOk } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { printWarnings } from '../print-secret.js';
import { mountDisableCommand, mountListCommand } from './mount-commands.js';
import { describeFlags, mountConfigFromFlags, mountInputFromFlags, mountPath, ttlFlags, withoutEmpty } from './mount-flags.js';

const versionFlag = { name: 'version', kind: 'int', usage: 'Select the engine version (kv: 2 for versioned KV); sets options.version.' } as const;

export const secretsEnableCommand: Command = {
  name: 'secrets enable',
  synopsis: 'Enable a secrets engine',
  help: `Usage: coffer secrets enable [options] TYPE

  Enables a secrets engine of TYPE. By default it is mounted at the path named after
  TYPE; -path chooses another.`,
  flags: [
    { name: 'path', kind: 'string', usage: 'Where to mount the engine. Defaults to TYPE.' },
    ...describeFlags,
    ...ttlFlags,
    versionFlag,
    { name: 'force-no-cache', kind: 'bool', usage: 'Disable caching for this mount.' },
    { name: 'local', kind: 'bool', usage: 'Mark the mount local-only (not replicated).' },
    { name: 'seal-wrap', kind: 'bool', usage: 'Enable seal wrapping for the mount.' },
    { name: 'external-entropy-access', kind: 'bool', usage: 'Give the mount access to the seal\'s entropy source.' },
  ],
  http: true,
  output: false,
  async run(ctx) {
    const argsFailed = argsError(ctx, 1, 1);
    if (argsFailed !== undefined) return argsFailed;
    const type = (ctx.args[0] ?? '').trim();
    const path = mountPath(ctx.flags.isSet('path') ? ctx.flags.str('path') : type);
    const full = mountInputFromFlags(ctx.flags, type);
    if (ctx.flags.bool('force-no-cache')) full.config.force_no_cache = true;
    if (ctx.flags.int('version') > 0) full.options['version'] = String(ctx.flags.int('version'));
    if (ctx.flags.bool('external-entropy-access')) full.external_entropy_access = true;
    const input = withoutEmpty(full);
    try {
      await ctx.client().enableMount(path, input);
    } catch (e) {
      return apiFailure(ctx, 'Error enabling', e);
    }
    ctx.out(`Success! Enabled the ${type} secrets engine at: ${path}`);
    return exitOk;
  },
};

export const secretsDisableCommand: Command = mountDisableCommand({
  name: 'secrets disable',
  synopsis: 'Disable a secrets engine',
  help: `Usage: coffer secrets disable [options] PATH

  Disables the secrets engine mounted at PATH. All its secrets are revoked and its
  data is deleted.`,
  path: (arg) => arg,
  disable: (client, path) => client.disableMount(path),
  errorPrefix: 'Error disabling secrets engine at ',
  what: 'the secrets engine',
});

export const secretsListCommand: Command = mountListCommand({
  name: 'secrets list',
  synopsis: 'List enabled secrets engines',
  help: `Usage: coffer secrets list [options]

  Lists the enabled secrets engines. -detailed adds TTLs, options, UUIDs and versions.`,
  detailedUsage: 'Print detailed information about each mount.',
  table: 'secrets',
  list: (client) => client.listMounts(),
  errorMessage: 'Error listing secrets engines',
});

export const secretsTuneCommand: Command = {
  name: 'secrets tune',
  synopsis: 'Tune a secrets engine configuration',
  help: `Usage: coffer secrets tune [options] PATH

  Changes the configuration of the secrets engine mounted at PATH. Only the flags
  given are changed.`,
  flags: [...ttlFlags, ...describeFlags, versionFlag],
  http: true,
  output: false,
  async run(ctx) {
    const argsFailed = argsError(ctx, 1, 1);
    if (argsFailed !== undefined) return argsFailed;
    const path = mountPath(ctx.args[0] ?? '');
    const input: TuneInput = { ...mountConfigFromFlags(ctx.flags) };
    if (ctx.flags.isSet('description')) input.description = ctx.flags.str('description');
    const options = ctx.flags.map('options');
    if (ctx.flags.int('version') > 0) options['version'] = String(ctx.flags.int('version'));
    if (Object.keys(options).length > 0) input.options = options;
    let res: VaultSecret | undefined;
    try {
      res = await ctx.client().tuneMount(path, input);
    } catch (e) {
      return apiFailure(ctx, 'Error tuning secrets engine ' + path, e);
    }
    if (res !== undefined) printWarnings(ctx, res.warnings);
    ctx.out(`Success! Tuned the secrets engine at: ${path}`);
    return exitOk;
  },
};

export const secretsMoveCommand: Command = {
  name: 'secrets move',
  synopsis: 'Move a secrets engine to a new path',
  help: `Usage: coffer secrets move [options] SOURCE DESTINATION

  Moves the secrets engine at SOURCE to DESTINATION (sys/remount). Leases issued by
  the old mount are revoked.`,
  flags: [],
  http: true,
  output: false,
  async run(ctx) {
    const argsFailed = argsError(ctx, 2, 2);
    if (argsFailed !== undefined) return argsFailed;
    const from = mountPath(ctx.args[0] ?? '');
    const to = mountPath(ctx.args[1] ?? '');
    let res: RemountResult;
    try {
      res = await ctx.client().remount(from, to);
    } catch (e) {
      return apiFailure(ctx, 'Error moving secrets engine ' + from + ' to ' + to, e);
    }
    ctx.out(
      res.migration_id !== ''
        ? `Started moving secrets engine ${from} to ${to}, with migration ID ${res.migration_id}`
        : `Success! Finished moving secrets engine ${from} to ${to}`,
    );
    return exitOk;
  },
};
