// `coffer operator unseal [KEY]`: submits one unseal key share (read from stdin when not given),
// or `-reset` to discard the shares submitted so far; prints the resulting seal status.

import type { SealStatus } from '../../api/index.js';
import type { Command } from '../command.js';
import { argsError, exitLocal } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { printSealStatus } from './status.js';

export const operatorUnsealCommand: Command = {
  name: 'operator unseal',
  synopsis: 'Unseals the server',
  help: `Usage: coffer operator unseal [options] [KEY]

  Provides one unseal key share. When enough shares have been given (the threshold),
  the server unseals. Without KEY the key is read from stdin (first line).`,
  flags: [{ name: 'reset', kind: 'bool', usage: 'Discard the key shares submitted so far.' }],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 0, 1);
    if (argsFailed !== undefined) return argsFailed;
    const reset = ctx.flags.bool('reset');
    let key = ctx.args[0];
    if (!reset && key === undefined) {
      if (ctx.io.stdin.isTTY === true) ctx.err('Unseal Key (will be echoed): ');
      key = (await ctx.readStdin()).split(/\r?\n/)[0]?.trim() ?? '';
      if (key === '') {
        ctx.err('Error unsealing: no unseal key given on stdin');
        return exitLocal;
      }
    }
    const client = ctx.client();
    let status: SealStatus;
    try {
      status = await client.unseal(reset ? { reset: true } : (key ?? ''));
    } catch (e) {
      return apiFailure(ctx, reset ? 'Error resetting unseal process' : 'Error unsealing', e);
    }
    return printSealStatus(ctx, client, status);
  },
};
