// `coffer lease lookup|renew|revoke`: leases of dynamic secrets via sys/leases/* (as `vault lease`).

import type { VaultSecret } from '../../api/index.js';
import type { Command, CommandContext } from '../command.js';
import { argsError, exitLocal, exitOk, exitRemote } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { durationFlagSeconds } from '../duration-flag.js';
import { printSecret } from '../print-secret.js';

function show(ctx: CommandContext, secret: VaultSecret | undefined, what: string): number {
  if (secret === undefined) {
    ctx.err(`${what}: the server returned no data`);
    return exitRemote;
  }
  return printSecret(ctx, secret, '');
}

export const leaseLookupCommand: Command = {
  name: 'lease lookup',
  synopsis: 'Lookup the lease of a secret',
  help: `Usage: coffer lease lookup [options] ID

  Shows a lease's issue, renewal and expiry times, its remaining TTL and whether it is renewable.

      $ coffer lease lookup database/creds/readonly/2f6a614c4aa2`,
  flags: [],
  http: true,
  output: true,
  async run(ctx) {
    const bad = argsError(ctx, 1, 1);
    if (bad !== undefined) return bad;
    const leaseId = (ctx.args[0] ?? '').trim();
    let secret: VaultSecret | undefined;
    try {
      secret = await ctx.client().write('sys/leases/lookup', { lease_id: leaseId });
    } catch (e) {
      return apiFailure(ctx, `error looking up lease id ${leaseId}`, e);
    }
    return show(ctx, secret, `error looking up lease id ${leaseId}`);
  },
};

export const leaseRenewCommand: Command = {
  name: 'lease renew',
  synopsis: 'Renews the lease of a secret',
  help: `Usage: coffer lease renew [options] ID

  Asks the server to extend the lease ID, by -increment if given (the server may grant less, up to
  the mount's maximum TTL). Prints the renewed lease.

      $ coffer lease renew -increment=1h database/creds/readonly/2f6a614c4aa2`,
  flags: [
    {
      name: 'increment',
      kind: 'string',
      usage: 'Requested new lease duration, in seconds ("3600") or as a duration ("1h"). The server need not honour it.',
    },
  ],
  http: true,
  output: true,
  async run(ctx) {
    const bad = argsError(ctx, 1, 1);
    if (bad !== undefined) return bad;
    const leaseId = (ctx.args[0] ?? '').trim();
    // vault always sends the increment in seconds, 0 meaning "the lease's own TTL".
    const increment = durationFlagSeconds(ctx, 'increment');
    let secret: VaultSecret | undefined;
    try {
      secret = await ctx.client().write('sys/leases/renew', { lease_id: leaseId, increment });
    } catch (e) {
      return apiFailure(ctx, `Error renewing ${leaseId}`, e);
    }
    return show(ctx, secret, `Error renewing ${leaseId}`);
  },
};

export const leaseRevokeCommand: Command = {
  name: 'lease revoke',
  synopsis: 'Revokes leases and secrets',
  help: `Usage: coffer lease revoke [options] ID

  Revokes the lease ID, or with -prefix every lease whose ID starts with ID. Revocation is queued
  on the server unless -sync is given. -force (with -prefix) removes the leases even when the
  secrets engine fails to revoke the secrets, which leaves those secrets alive: use with care.

      $ coffer lease revoke database/creds/readonly/2f6a614c4aa2
      $ coffer lease revoke -prefix database/creds/`,
  flags: [
    { name: 'force', kind: 'bool', usage: 'Delete the leases even if the secrets engine cannot revoke them. Requires -prefix.' },
    { name: 'prefix', kind: 'bool', usage: 'Treat ID as a prefix and revoke every lease under it.' },
    { name: 'sync', kind: 'bool', usage: 'Wait for the revocation to finish instead of queuing it.' },
  ],
  http: true,
  output: false,
  async run(ctx) {
    const force = ctx.flags.bool('force');
    const prefix = ctx.flags.bool('prefix');
    const sync = ctx.flags.bool('sync');
    if (force && !prefix) {
      ctx.err('Specifying -force requires also specifying -prefix');
      return exitLocal;
    }
    const bad = argsError(ctx, 1, 1);
    if (bad !== undefined) return bad;
    const id = (ctx.args[0] ?? '').trim();
    if (force) ctx.err('Warning! Force-removing leases can cause the server to become out of sync with secrets engines!');
    try {
      const client = ctx.client();
      if (force) await client.write(`sys/leases/revoke-force/${id}`, { sync });
      else if (prefix) await client.write(`sys/leases/revoke-prefix/${id}`, { sync });
      else await client.write('sys/leases/revoke', { lease_id: id, sync });
    } catch (e) {
      const what = force ? `Error force revoking leases with prefix ${id}` : prefix ? `Error revoking leases with prefix ${id}` : `Error revoking lease ${id}`;
      return apiFailure(ctx, what, e);
    }
    if (force) ctx.out(`Success! Force revoked any leases with prefix: ${id}`);
    else if (!sync) ctx.out('All revocation operations queued successfully!');
    else if (prefix) ctx.out(`Success! Revoked any leases with prefix: ${id}`);
    else ctx.out(`Success! Revoked lease: ${id}`);
    return exitOk;
  },
};
