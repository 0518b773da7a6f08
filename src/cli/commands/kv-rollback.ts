// `coffer kv rollback -version=N PATH`: restores an old KV v2 version by writing its data as a new
// version, with cas = the current version so a concurrent write makes it fail instead of vanish.

import type { VaultSecret } from '../../api/index.js';
import type { Command } from '../command.js';
import { argsError, exitLocal, exitRemote } from '../command.js';
import { systemClock } from '../../shared/index.js';
import { apiFailure } from '../api-failure.js';
import { kvV2Path, withoutWrapping } from '../kv-preflight.js';
import {asRecord, fieldFlag, mountFlag, printV2Write, resolve } from './kv.js';

export const kvRollbackCommand: Command = {
  name: 'kv rollback',
  synopsis: 'Rolls back to a previous version of data',
  help: `Usage: coffer kv rollback [options] -version=N PATH

  Writes the data of version N of a KV v2 secret as its newest version. Destroyed or deleted
  versions cannot be restored (undelete them first).`,
  flags: [mountFlag, fieldFlag, { name: 'version', kind: 'int', usage: 'The version to roll back to (required).', default: 0 }],
  http: true,
  output: true,
  async run(ctx) {
    const bad = argsError(ctx, 1, 1);
    if (bad !== undefined) return bad;
    const version = ctx.flags.int('version');
    if (version <= 0) {
      ctx.err('Must specify a positive -version to roll back to');
      return exitLocal;
    }
    let full = '';
    let secret: VaultSecret | undefined;
    try {
      const r = await resolve(ctx, ctx.args[0] ?? '');
      if (r.kv.version !== 2) {
        ctx.err('Rollback not supported on KV Version 1');
        return exitLocal;
      }
      full = kvV2Path(r.path, r.kv.mountPath, 'data');
      const client = r.client;
      // Both reads must come back in the clear even under -wrap-ttl; only the write is wrapped.
      let current: VaultSecret | undefined;
      try {
        current = await withoutWrapping(client, () => client.read(full));
      } catch (e) {
        return apiFailure(ctx, 'Error reading current version', e);
      }
      const currentVersion = asRecord(current?.data?.['metadata'])?.['version'];
      if (current === undefined || typeof currentVersion !== 'number') {
        ctx.err(`No value found at ${full}`);
        return exitRemote;
      }
      let target: VaultSecret | undefined;
      try {
        target = await withoutWrapping(client, () => client.read(full, { version }));
      } catch (e) {
        return apiFailure(ctx, `Error reading requested version ${version}`, e);
      }
      const meta = asRecord(target?.data?.['metadata']);
      if (target === undefined || meta === undefined) {
        ctx.err(`No secret found at ${full} for version ${version}`);
        return exitRemote;
      }
      if (meta['destroyed'] === true) {
        ctx.err('Cannot roll back to a version that has been destroyed');
        return exitRemote;
      }
      const deletion = meta['deletion_time'];
      if (typeof deletion === 'string' && deletion !== '' && Date.parse(deletion) <= (ctx.io.clock ?? systemClock).now()) {
        ctx.err('Cannot roll back to a version that has been deleted');
        return exitRemote;
      }
      const data = asRecord(target.data?.['data']);
      if (data === undefined) {
        ctx.err(`No data found at ${full} for version ${version}`);
        return exitRemote;
      }
      secret = await client.write(full, { data, options: { cas: currentVersion } });
    } catch (e) {
      return apiFailure(ctx, `Error writing data to ${full !== '' ? full : (ctx.args[0] ?? '')}`, e);
    }
    return printV2Write(ctx, secret, full);
  },
};
