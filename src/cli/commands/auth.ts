// `coffer auth enable|disable|list`: managing auth method mounts (sys/auth).

import type { Command } from '../command.js';
import { argsError, exitOk } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { mountDisableCommand, mountListCommand } from './mount-commands.js';
import { describeFlags, mountInputFromFlags, mountPath, ttlFlags, withoutEmpty } from './mount-flags.js';

export const authEnableCommand: Command = {
  name: 'auth enable',
  synopsis: 'Enables a new auth method',
  help: `Usage: coffer auth enable [options] TYPE

  Enables an auth method of TYPE, mounted at auth/<path>; the path defaults to TYPE.`,
  flags: [
    { name: 'path', kind: 'string', usage: 'Where to mount the method (under auth/). Defaults to TYPE.' },
    ...describeFlags,
    ...ttlFlags,
    { name: 'local', kind: 'bool', usage: 'Mark the mount local-only (not replicated).' },
    { name: 'seal-wrap', kind: 'bool', usage: 'Enable seal wrapping for the mount.' },
  ],
  http: true,
  output: false,
  async run(ctx) {
    const argsFailed = argsError(ctx, 1, 1);
    if (argsFailed !== undefined) return argsFailed;
    const type = (ctx.args[0] ?? '').trim();
    const path = mountPath(ctx.flags.isSet('path') ? ctx.flags.str('path') : type);
    const input = withoutEmpty(mountInputFromFlags(ctx.flags, type));
    try {
      await ctx.client().enableAuth(path, input);
    } catch (e) {
      return apiFailure(ctx, 'Error enabling ' + type + ' auth', e);
    }
    ctx.out(`Success! Enabled ${type} auth method at: ${path}`);
    return exitOk;
  },
};

export const authDisableCommand: Command = mountDisableCommand({
  name: 'auth disable',
  synopsis: 'Disables an auth method',
  help: `Usage: coffer auth disable [options] PATH

  Disables the auth method at auth/PATH. Tokens it issued are revoked.`,
  path: (arg) => arg.replace(/^\/*auth\//, ''),
  disable: (client, path) => client.disableAuth(path),
  errorPrefix: 'Error disabling auth method at ',
  what: 'the auth method',
});

export const authListCommand: Command = mountListCommand({
  name: 'auth list',
  synopsis: 'Lists enabled auth methods',
  help: `Usage: coffer auth list [options]

  Lists the enabled auth methods. -detailed adds TTLs, options, UUIDs and versions.`,
  detailedUsage: 'Print detailed information about each method.',
  table: 'auth',
  list: (client) => client.listAuth(),
  errorMessage: 'Error listing enabled authentications',
});
