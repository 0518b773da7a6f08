// `coffer login`: with the token method, checks a token with auth/token/lookup-self; with another
// method (-method=userpass|approle|jwt|kubernetes…, -path), logs in with its key=value arguments.
// The resulting token is stored in ~/.vault-token (the token helper file) for later commands.

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
       coffer login -method=METHOD [-path=PATH] [K=V...]

  Authenticates with a token: it is looked up on the server and, unless -no-store,
  saved to ~/.vault-token so later commands use it. Without TOKEN (or with "-") the
  token is read from stdin.

  With -method, logs in through that auth method mounted at -path (default: the
  method's name): userpass takes username=U password=P; approle takes role_id=R
  secret_id=S; other methods (jwt, kubernetes, ...) get their K=V pairs as the body
  of auth/<path>/login.`,
  flags: [
    { name: 'method', kind: 'string', usage: 'Auth method: token (default), userpass, approle, jwt, kubernetes, ...', default: 'token' },
    { name: 'path', kind: 'string', usage: 'Mount path of the auth method (default: the method name).', default: '' },
    { name: 'no-store', kind: 'bool', usage: 'Do not save the token to ~/.vault-token.' },
    { name: 'token-only', kind: 'bool', usage: 'Print only the token (implies -no-store).' },
  ],
  http: true,
  output: true,
  async run(ctx) {
    const method = ctx.flags.str('method');
    const client = ctx.client();
    let token: string;
    let auth: Record<string, unknown>;
    let raw: Record<string, unknown> | undefined;
    if (method === 'token') {
      const argsFailed = argsError(ctx, 0, 1);
      if (argsFailed !== undefined) return argsFailed;
      let given = ctx.args[0];
      // vault also takes the token method's config form, `coffer login token=<TOKEN>`.
      if (given?.startsWith('token=') === true) given = given.slice('token='.length);
      if (given === undefined || given === '-') {
        if (ctx.io.stdin.isTTY === true) ctx.err('Token (will be echoed): ');
        given = (await ctx.readStdin()).split(/\r?\n/)[0]?.trim() ?? '';
      }
      if (given === '') {
        ctx.err('Error authenticating: no token given');
        return exitLocal;
      }
      token = given;
      client.token = token;
      let lookup: VaultSecret | undefined;
      try {
        lookup = await client.read('auth/token/lookup-self');
      } catch (e) {
        return apiFailure(ctx, 'Error authenticating', e);
      }
      const d = lookup?.data ?? {};
      raw = lookup?.raw;
      auth = {
        client_token: token,
        accessor: d['accessor'] ?? '',
        policies: d['policies'] ?? [],
        token_policies: d['policies'] ?? [],
        identity_policies: d['identity_policies'] ?? [],
        metadata: d['meta'] ?? null,
        lease_duration: typeof d['ttl'] === 'number' ? d['ttl'] : 0,
        renewable: d['renewable'] === true,
      };
    } else {
      const pairs: Record<string, string> = {};
      for (const a of ctx.args) {
        const eq = a.indexOf('=');
        if (eq <= 0) {
          ctx.err(`Invalid argument ${JSON.stringify(a)}: expected K=V`);
          return exitLocal;
        }
        let value = a.slice(eq + 1);
        // K=@file reads the value from a file (a service-account token, a JWT), trailing newline dropped.
        if (value.startsWith('@')) {
          try {
            value = (await fs.promises.readFile(value.slice(1), 'utf8')).trimEnd();
          } catch (e) {
            ctx.err(`Error reading file "${value.slice(1)}": ${e instanceof Error ? e.message : String(e)}`);
            return exitLocal;
          }
        }
        pairs[a.slice(0, eq)] = value;
      }
      const mount = (ctx.flags.str('path') || method).replace(/^\/+|\/+$/g, '');
      let loginPath = `auth/${mount}/login`;
      const body: Record<string, unknown> = { ...pairs };
      if (method === 'userpass' || method === 'ldap') {
        const user = pairs['username'];
        if (user === undefined || user === '') {
          ctx.err('Error authenticating: username=... is required');
          return exitLocal;
        }
        delete body['username'];
        loginPath += `/${encodeURIComponent(user)}`;
      }
      let secret: VaultSecret | undefined;
      try {
        client.token = undefined;
        secret = await client.write(loginPath, body);
      } catch (e) {
        return apiFailure(ctx, 'Error authenticating', e);
      }
      const a = secret?.auth;
      const issued = a?.['client_token'];
      if (a === null || a === undefined || typeof issued !== 'string') {
        ctx.err('Error authenticating: the server returned no token');
        return exitLocal;
      }
      auth = a;
      token = issued;
      raw = secret?.raw;
    }
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
      ctx.out(formatStructured(ctx.format, { ...raw, data: null, auth }));
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
