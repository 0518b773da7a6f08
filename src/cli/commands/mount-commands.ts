// The `disable` and `list` commands of `coffer auth` and `coffer secrets`: the same shape on two
// mount tables (sys/auth and sys/mounts), differing only in words and API calls.

import type { ApiClient, MountInfo } from '../../api/index.js';
import type { Command } from '../command.js';
import { argsError, exitOk } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { formatStructured } from '../output/format.js';
import { mountsTable } from '../output/mounts.js';
import { mountPath } from './mount-flags.js';

export interface MountDisableSpec {
  name: string;
  synopsis: string;
  help: string;
  /** The mount path from the argument (auth strips a leading `auth/`). */
  path(arg: string): string;
  disable(client: ApiClient, path: string): Promise<void>;
  /** "Error disabling … at " */
  errorPrefix: string;
  /** "the auth method", "the secrets engine" */
  what: string;
}

export function mountDisableCommand(spec: MountDisableSpec): Command {
  return {
    name: spec.name,
    synopsis: spec.synopsis,
    help: spec.help,
    flags: [],
    http: true,
    output: false,
    async run(ctx) {
      const argsFailed = argsError(ctx, 1, 1);
      if (argsFailed !== undefined) return argsFailed;
      const path = mountPath(spec.path(ctx.args[0] ?? ''));
      try {
        await spec.disable(ctx.client(), path);
      } catch (e) {
        return apiFailure(ctx, spec.errorPrefix + path, e);
      }
      ctx.out(`Success! Disabled ${spec.what} (if it existed) at: ${path}`);
      return exitOk;
    },
  };
}

export interface MountListSpec {
  name: string;
  synopsis: string;
  help: string;
  detailedUsage: string;
  table: 'auth' | 'secrets';
  list(client: ApiClient): Promise<Record<string, MountInfo>>;
  errorMessage: string;
}

export function mountListCommand(spec: MountListSpec): Command {
  return {
    name: spec.name,
    synopsis: spec.synopsis,
    help: spec.help,
    flags: [{ name: 'detailed', kind: 'bool', usage: spec.detailedUsage }],
    http: true,
    output: true,
    async run(ctx) {
      const argsFailed = argsError(ctx, 0, 0);
      if (argsFailed !== undefined) return argsFailed;
      let mounts: Record<string, MountInfo>;
      try {
        mounts = await spec.list(ctx.client());
      } catch (e) {
        return apiFailure(ctx, spec.errorMessage, e);
      }
      if (ctx.format !== 'table') {
        ctx.out(formatStructured(ctx.format, Object.fromEntries(Object.entries(mounts).map(([k, m]) => [k, m.raw]))));
      } else {
        ctx.out(mountsTable(mounts, spec.table, ctx.flags.bool('detailed')));
      }
      return exitOk;
    },
  };
}
