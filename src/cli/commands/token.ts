// `coffer token create|lookup|renew|revoke|capabilities`: the token auth method (auth/token/*).

import type { VaultSecret } from '../../api/index.js';
import { formatGoDuration } from '../../shared/index.js';
import type { Command, CommandContext } from '../command.js';
import { argsError, exitLocal, exitOk, exitRemote } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { durationFlagSeconds } from '../duration-flag.js';
import type { FlagSpec } from '../flags.js';
import { formatStructured } from '../output/format.js';
import { printSecret } from '../print-secret.js';

const fieldFlag: FlagSpec = { name: 'field', kind: 'string', usage: 'Print only the named field, raw.' };

const seconds = durationFlagSeconds;

function show(ctx: CommandContext, secret: VaultSecret | undefined, what: string): number {
  if (secret === undefined) {
    ctx.err(`${what}: the server returned no data`);
    return exitRemote;
  }
  return printSecret(ctx, secret, ctx.flags.str('field'));
}

export const tokenCreateCommand: Command = {
  name: 'token create',
  synopsis: 'Create a new token',
  help: `Usage: coffer token create [options]

  Creates a child of the calling token (or an orphan with -orphan, or from a role with -role).`,
  flags: [
    { name: 'policy', kind: 'list', usage: 'Policy to attach; repeatable.' },
    { name: 'metadata', kind: 'map', usage: 'Metadata key=value; repeatable.' },
    { name: 'ttl', kind: 'string', usage: 'Initial TTL (e.g. "1h").' },
    { name: 'explicit-max-ttl', kind: 'string', usage: 'Hard maximum TTL.' },
    { name: 'period', kind: 'string', usage: 'Periodic token: renewals reset the TTL to this.' },
    { name: 'renewable', kind: 'bool', usage: 'Allow renewal.', default: true },
    { name: 'orphan', kind: 'bool', usage: 'Create a token with no parent.' },
    { name: 'no-default-policy', kind: 'bool', usage: 'Do not attach the "default" policy.' },
    { name: 'display-name', kind: 'string', usage: 'Name for the token.' },
    { name: 'num-uses', kind: 'int', usage: 'Number of uses (0 = unlimited).', default: 0 },
    { name: 'role', kind: 'string', usage: 'Create the token from this token role.' },
    { name: 'type', kind: 'string', usage: 'Token type: "service" or "batch".' },
    { name: 'id', kind: 'string', usage: 'Explicit token id (root/sudo only).' },
    fieldFlag,
  ],
  http: true,
  output: true,
  async run(ctx) {
    const bad = argsError(ctx, 0, 0);
    if (bad !== undefined) return bad;
    const f = ctx.flags;
    const body: Record<string, unknown> = {};
    if (f.isSet('id')) body['id'] = f.str('id');
    if (f.list('policy').length > 0) body['policies'] = f.list('policy');
    if (Object.keys(f.map('metadata')).length > 0) body['meta'] = f.map('metadata');
    if (f.isSet('ttl')) body['ttl'] = formatGoDuration(seconds(ctx, 'ttl'));
    if (f.isSet('explicit-max-ttl')) body['explicit_max_ttl'] = formatGoDuration(seconds(ctx, 'explicit-max-ttl'));
    if (f.isSet('period')) body['period'] = formatGoDuration(seconds(ctx, 'period'));
    if (f.bool('no-default-policy')) body['no_default_policy'] = true;
    if (f.isSet('display-name')) body['display_name'] = f.str('display-name');
    if (f.int('num-uses') > 0) body['num_uses'] = f.int('num-uses');
    if (f.isSet('type')) body['type'] = f.str('type');
    body['renewable'] = f.bool('renewable');
    const path = f.isSet('role') ? `auth/token/create/${f.str('role')}` : f.bool('orphan') ? 'auth/token/create-orphan' : 'auth/token/create';
    let secret: VaultSecret | undefined;
    try {
      secret = await ctx.client().write(path, body);
    } catch (e) {
      return apiFailure(ctx, 'Error creating token', e);
    }
    return show(ctx, secret, 'Error creating token');
  },
};

export const tokenLookupCommand: Command = {
  name: 'token lookup',
  synopsis: 'Display information about a token',
  help: `Usage: coffer token lookup [options] [TOKEN | ACCESSOR]

  Shows a token's properties: the caller's own token without arguments.`,
  flags: [{ name: 'accessor', kind: 'bool', usage: 'Treat the argument as an accessor.' }, fieldFlag],
  http: true,
  output: true,
  async run(ctx) {
    const bad = argsError(ctx, ctx.flags.bool('accessor') ? 1 : 0, 1);
    if (bad !== undefined) return bad;
    const arg = ctx.args[0];
    let secret: VaultSecret | undefined;
    try {
      const client = ctx.client();
      if (ctx.flags.bool('accessor')) secret = await client.write('auth/token/lookup-accessor', { accessor: arg });
      else if (arg !== undefined) secret = await client.write('auth/token/lookup', { token: arg });
      else secret = await client.read('auth/token/lookup-self');
    } catch (e) {
      return apiFailure(ctx, 'Error looking up token', e);
    }
    return show(ctx, secret, 'Error looking up token');
  },
};

export const tokenRenewCommand: Command = {
  name: 'token renew',
  synopsis: 'Renew a token lease',
  help: `Usage: coffer token renew [options] [TOKEN]

  Renews a token (the caller's own without TOKEN), optionally asking for -increment.`,
  flags: [{ name: 'increment', kind: 'string', usage: 'Requested new TTL (e.g. "1h").' }, fieldFlag],
  http: true,
  output: true,
  async run(ctx) {
    const bad = argsError(ctx, 0, 1);
    if (bad !== undefined) return bad;
    const body: Record<string, unknown> = {};
    if (ctx.flags.isSet('increment')) body['increment'] = seconds(ctx, 'increment');
    const token = ctx.args[0];
    let secret: VaultSecret | undefined;
    try {
      secret =
        token === undefined
          ? await ctx.client().write('auth/token/renew-self', body)
          : await ctx.client().write('auth/token/renew', { ...body, token });
    } catch (e) {
      return apiFailure(ctx, 'Error renewing token', e);
    }
    return show(ctx, secret, 'Error renewing token');
  },
};

export const tokenRevokeCommand: Command = {
  name: 'token revoke',
  synopsis: 'Revoke a token and its children',
  help: `Usage: coffer token revoke [options] [TOKEN | ACCESSOR]

  Revokes a token and, unless -mode=orphan, its children and leases.`,
  flags: [
    { name: 'self', kind: 'bool', usage: 'Revoke the calling token.' },
    { name: 'accessor', kind: 'bool', usage: 'Treat the argument as an accessor.' },
    { name: 'mode', kind: 'string', usage: '"orphan" revokes only the token, making its children orphans.' },
  ],
  http: true,
  output: false,
  async run(ctx) {
    const self = ctx.flags.bool('self');
    const bad = argsError(ctx, self ? 0 : 1, self ? 0 : 1);
    if (bad !== undefined) return bad;
    const mode = ctx.flags.str('mode');
    if (mode !== '' && mode !== 'orphan') {
      ctx.err(`Invalid mode: ${mode} (only "orphan" is supported)`);
      return exitLocal;
    }
    const arg = ctx.args[0] ?? '';
    try {
      const client = ctx.client();
      if (self) await client.write('auth/token/revoke-self', {});
      else if (ctx.flags.bool('accessor')) await client.write('auth/token/revoke-accessor', { accessor: arg });
      else if (mode === 'orphan') await client.write('auth/token/revoke-orphan', { token: arg });
      else await client.write('auth/token/revoke', { token: arg });
    } catch (e) {
      return apiFailure(ctx, 'Error revoking token', e);
    }
    ctx.out('Success! Revoked token (if it existed)');
    return exitOk;
  },
};

export const tokenCapabilitiesCommand: Command = {
  name: 'token capabilities',
  synopsis: 'Print capabilities of a token on a path',
  help: `Usage: coffer token capabilities [options] [TOKEN] PATH

  Prints what a token (the caller's own without TOKEN) may do on PATH.`,
  flags: [],
  http: true,
  output: true,
  async run(ctx) {
    const bad = argsError(ctx, 1, 2);
    if (bad !== undefined) return bad;
    const [a, b] = ctx.args;
    const path = (b ?? a ?? '').replace(/^\/+/, '');
    let secret: VaultSecret | undefined;
    try {
      secret =
        b === undefined
          ? await ctx.client().write('sys/capabilities-self', { paths: [path] })
          : await ctx.client().write('sys/capabilities', { token: a, paths: [path] });
    } catch (e) {
      return apiFailure(ctx, 'Error listing capabilities', e);
    }
    const caps = secret?.data?.[path] ?? secret?.data?.['capabilities'];
    const list = Array.isArray(caps) ? caps.map(String).sort() : [];
    if (ctx.format !== 'table') ctx.out(formatStructured(ctx.format, list));
    else ctx.out(list.join(', '));
    return exitOk;
  },
};
