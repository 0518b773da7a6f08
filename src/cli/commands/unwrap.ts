// `coffer unwrap [TOKEN]`: exchanges a single-use wrapping token for the response it wraps
// (PUT sys/wrapping/unwrap) and prints that response like `read`.

import type { VaultSecret } from '../../api/index.js';
import type { Command } from '../command.js';
import { argsError, exitOk } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { formatStructured } from '../output/format.js';
import { listTable } from '../output/secret.js';
import { printSecret } from '../print-secret.js';

export const unwrapCommand: Command = {
  name: 'unwrap',
  synopsis: 'Unwrap a wrapped secret',
  help: `Usage: coffer unwrap [options] [TOKEN]

  Unwraps a wrapped secret. Without TOKEN, the client token is used as the wrapping token.`,
  flags: [{ name: 'field', kind: 'string', usage: 'Print only the named field of the data, raw.' }],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 0, 1);
    if (argsFailed !== undefined) return argsFailed;
    let secret: VaultSecret | undefined;
    try {
      secret = await ctx.client().unwrap(ctx.args[0]);
    } catch (e) {
      return apiFailure(ctx, 'Error unwrapping', e);
    }
    if (secret === undefined) {
      if (ctx.format === 'table') ctx.out('Successfully unwrapped. There was no data in the wrapped secret.');
      return exitOk;
    }
    const field = ctx.flags.str('field');
    if (field !== '') return printSecret(ctx, secret, field);
    // A wrapped list response is shown as a list, as `list` would.
    const keys = secret.data?.['keys'];
    if (Array.isArray(keys)) {
      ctx.out(ctx.format === 'table' ? listTable(keys) : formatStructured(ctx.format, keys));
      return exitOk;
    }
    return printSecret(ctx, secret, '');
  },
};
