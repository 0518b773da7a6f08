// `coffer policy write|read|list|delete`: ACL policies via sys/policies/acl (as the vault CLI);
// `coffer policy fmt` formats a local policy file.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VaultSecret } from '../../api/index.js';
import { HclSyntaxError } from '../../shared/index.js';
import type { Command, CommandContext } from '../command.js';
import { argsError, exitLocal, exitOk, exitRemote } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { formatHcl } from '../hcl-format/hcl-format.js';
import { formatStructured } from '../output/format.js';
import { fileSources } from '../kv-args.js';
import { printSecret } from '../print-secret.js';

export const policyWriteCommand: Command = {
  name: 'policy write',
  synopsis: 'Uploads a named policy from a file',
  help: `Usage: coffer policy write [options] NAME PATH

  Uploads the policy in the file PATH (HCL or JSON) as NAME. PATH "-" reads stdin.`,
  flags: [],
  http: true,
  output: false,
  async run(ctx) {
    const argsFailed = argsError(ctx, 2, 2);
    if (argsFailed !== undefined) return argsFailed;
    const name = (ctx.args[0] ?? '').trim().toLowerCase();
    const file = ctx.args[1] ?? '';
    let policy: string;
    try {
      policy = file === '-' ? await ctx.readStdin() : await fileSources(() => ctx.readStdin()).readFile(file);
    } catch (e) {
      ctx.err(`Error opening policy file: ${e instanceof Error ? e.message : String(e)}`);
      return exitLocal;
    }
    try {
      await ctx.client().write(`sys/policies/acl/${name}`, { policy });
    } catch (e) {
      return apiFailure(ctx, 'Error uploading policy', e);
    }
    ctx.out(`Success! Uploaded policy: ${name}`);
    return exitOk;
  },
};

export const policyReadCommand: Command = {
  name: 'policy read',
  synopsis: 'Prints the contents of a policy',
  help: `Usage: coffer policy read [options] NAME

  Prints the rules of the named policy.`,
  flags: [],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 1, 1);
    if (argsFailed !== undefined) return argsFailed;
    const name = (ctx.args[0] ?? '').trim().toLowerCase();
    let secret: VaultSecret | undefined;
    try {
      secret = await ctx.client().read(`sys/policies/acl/${name}`);
    } catch (e) {
      return apiFailure(ctx, `Error reading policy named ${name}`, e);
    }
    if (secret === undefined) {
      ctx.err(`No policy named: ${name}`);
      return exitRemote;
    }
    if (ctx.format !== 'table') return printSecret(ctx, secret, '');
    const rules = secret.data?.['policy'];
    ctx.out(typeof rules === 'string' ? rules.trim() : '');
    return exitOk;
  },
};

export const policyListCommand: Command = {
  name: 'policy list',
  synopsis: 'Lists the installed policies',
  help: `Usage: coffer policy list [options]

  Lists the names of the installed ACL policies, one per line.`,
  flags: [],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 0, 0);
    if (argsFailed !== undefined) return argsFailed;
    let secret: VaultSecret | undefined;
    try {
      secret = await ctx.client().list('sys/policies/acl');
    } catch (e) {
      return apiFailure(ctx, 'Error listing policies', e);
    }
    const keys = secret?.data?.['keys'];
    const names = Array.isArray(keys) ? keys.map(String) : [];
    if (ctx.format !== 'table') ctx.out(formatStructured(ctx.format, names));
    else if (names.length > 0) ctx.out(names.join('\n'));
    return exitOk;
  },
};

export const policyDeleteCommand: Command = {
  name: 'policy delete',
  synopsis: 'Deletes a policy by name',
  help: `Usage: coffer policy delete [options] NAME

  Deletes the named policy. Tokens that carry it lose its permissions at once.`,
  flags: [],
  http: true,
  output: false,
  async run(ctx) {
    const argsFailed = argsError(ctx, 1, 1);
    if (argsFailed !== undefined) return argsFailed;
    const name = (ctx.args[0] ?? '').trim().toLowerCase();
    try {
      await ctx.client().delete(`sys/policies/acl/${name}`);
    } catch (e) {
      return apiFailure(ctx, 'Error deleting ' + name, e);
    }
    ctx.out(`Success! Deleted policy: ${name}`);
    return exitOk;
  },
};

export const policyFmtCommand: Command = {
  name: 'policy fmt',
  synopsis: 'Formats a policy on disk',
  help: `Usage: coffer policy fmt [options] PATH

  Rewrites the policy file PATH (HCL or JSON) in place as canonical HCL: two-space indents,
  one stanza per path with a blank line between stanzas. Comments are kept. A file that does
  not parse is left untouched.

      $ coffer policy fmt my-policy.hcl`,
  flags: [],
  http: false,
  output: false,
  run(ctx) {
    return Promise.resolve(formatPolicyFile(ctx));
  },
};

function formatPolicyFile(ctx: CommandContext): number {
  const argsFailed = argsError(ctx, 1, 1);
  if (argsFailed !== undefined) return argsFailed;
  const given = (ctx.args[0] ?? '').trim();
  const home = ctx.io.env['HOME'] ?? os.homedir();
  const file = given === '~' ? home : given.startsWith('~/') ? path.join(home, given.slice(2)) : given;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    ctx.err(`Error reading source file: ${e instanceof Error ? e.message : String(e)}`);
    return exitLocal;
  }
  let formatted: string;
  try {
    formatted = formatHcl(text, given);
  } catch (e) {
    if (!(e instanceof HclSyntaxError)) throw e;
    ctx.err(`failed to parse policy: ${e.message}`);
    return exitLocal;
  }
  try {
    fs.writeFileSync(file, formatted);
  } catch (e) {
    ctx.err(`Error writing result: ${e instanceof Error ? e.message : String(e)}`);
    return exitLocal;
  }
  ctx.out(`Success! Formatted policy: ${given}`);
  return exitOk;
}
