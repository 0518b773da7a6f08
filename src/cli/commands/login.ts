// `coffer login [TOKEN]`: checks a token with auth/token/lookup-self and stores it in
// ~/.vault-token (the token helper file) for later commands. Only the token method is supported.

import fs from 'node:fs';
import { tokenFilePath } from '../../api/index.js';
import type { VaultSecret } from '../../api/index.js';
import type { Command } from '../command.js';
import { argsError, exitLocal, exitOk } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { formatStructured } from '../output/format.js';
import { secretTable } from '../output/secret.js';

export const loginCommand: Command = {
  name: 'login',
  synopsis: 'Authenticate locally',
  help: `Usage: coffer login [options] [TOKEN | token=TOKEN]

  Authenticates with a token: it is looked up on the server and, unless -no-store,
  saved to ~/.vault-token so later commands use it. Without TOKEN (or with "-") the
  token is read from stdin.`,
  flags: [
    { name: 'method', kind: 'string', usage: 'Auth method; only "token" is supported.', default: 'token' },
    { name: 'no-store', kind: 'bool', usage: 'Do not save the token to ~/.vault-token.' },
    { name: 'token-only', kind: 'bool', usage: 'Print only the token (implies -no-store).' },
  ],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 0, 1);
    if (argsFailed !== undefined) return argsFailed;
    if (ctx.flags.str('method') !== 'token') {
      ctx.err(`Unsupported auth method: ${ctx.flags.str('method')} (only "token" is supported)`);
      return exitLocal;
    }
    let token = ctx.args[0];
    // vault also takes the token method's config form, `coffer login token=<TOKEN>`.
    if (token?.startsWith('token=') === true) token = token.slice('token='.length);
    if (token === undefined || token === '-') {
      if (ctx.io.stdin.isTTY === true) ctx.err('Token (will be echoed): ');
      token = (await ctx.readStdin()).split(/\r?\n/)[0]?.trim() ?? '';
    }
    if (token === '') {
      ctx.err('Error authenticating: no token given');
      return exitLocal;
    }
    const client = ctx.client();
    client.token = token;
    let lookup: VaultSecret | undefined;
    try {
      lookup = await client.read('auth/token/lookup-self');
    } catch (e) {
      return apiFailure(ctx, 'Error authenticating', e);
    }
    const d = lookup?.data ?? {};
    const auth = {
      client_token: token,
      accessor: d['accessor'] ?? '',
      policies: d['policies'] ?? [],
      token_policies: d['policies'] ?? [],
      identity_policies: d['identity_policies'] ?? [],
      metadata: d['meta'] ?? null,
      lease_duration: typeof d['ttl'] === 'number' ? d['ttl'] : 0,
      renewable: d['renewable'] === true,
    };
    const tokenOnly = ctx.flags.bool('token-only');
    const store = !ctx.flags.bool('no-store') && !tokenOnly;
    if (store) {
      try {
        fs.writeFileSync(tokenFilePath(ctx.io.env), token, { mode: 0o600 });
      } catch (e) {
        ctx.err(`Error storing token: ${e instanceof Error ? e.message : String(e)}`);
        return exitLocal;
      }
    }
    if (tokenOnly) {
      ctx.io.stdout.write(ctx.io.stdout.isTTY === true ? token + '\n' : token);
      return exitOk;
    }
    if (ctx.format !== 'table') {
      ctx.out(formatStructured(ctx.format, { ...lookup?.raw, data: null, auth }));
      return exitOk;
    }
    if (store && (ctx.io.env['VAULT_TOKEN'] ?? '') !== '') {
      ctx.err('WARNING! The VAULT_TOKEN environment variable is set. It takes precedence over the stored token;\nunset VAULT_TOKEN or update it if that is not what you want.\n');
    }
    ctx.out(
      store
        ? 'Success! You are now authenticated. The token information displayed below\nis already stored in the token helper (~/.vault-token). You do NOT need to run\n"coffer login" again. Future requests will automatically use this token.\n'
        : 'Success! You are now authenticated. The token information displayed below\nis NOT stored. Set VAULT_TOKEN to use it in future requests.\n',
    );
    ctx.out(
      secretTable({
        request_id: '', lease_id: '', renewable: false, lease_duration: 0, data: null, wrap_info: null, warnings: null, auth, raw: {},
      }),
    );
    return exitOk;
  },
};
