// `coffer operator seal` and `coffer operator step-down`: the two root/sudo state changes.

import type { Command } from '../command.js';
import { argsError, exitOk } from '../command.js';
import { apiFailure } from '../api-failure.js';

export const operatorSealCommand: Command = {
  name: 'operator seal',
  synopsis: 'Seals the server',
  help: `Usage: coffer operator seal [options]

  Seals the server: the in-memory key material is wiped and every request except the
  unauthenticated sys endpoints fails until it is unsealed again. Needs root or sudo.`,
  flags: [],
  http: true,
  output: false,
  async run(ctx) {
    const argsFailed = argsError(ctx, 0, 0);
    if (argsFailed !== undefined) return argsFailed;
    try {
      await ctx.client().seal();
    } catch (e) {
      return apiFailure(ctx, 'Error sealing', e);
    }
    ctx.out('Success! Server is sealed.');
    return exitOk;
  },
};

export const operatorStepDownCommand: Command = {
  name: 'operator step-down',
  synopsis: 'Forces the active node to give up leadership',
  help: `Usage: coffer operator step-down [options]

  Asks the active node of an HA cluster to step down so another node can take over.
  A no-op on a single node. Needs root or sudo.`,
  flags: [],
  http: true,
  output: false,
  async run(ctx) {
    const argsFailed = argsError(ctx, 0, 0);
    if (argsFailed !== undefined) return argsFailed;
    const client = ctx.client();
    try {
      await client.stepDown();
    } catch (e) {
      return apiFailure(ctx, 'Error stepping down', e);
    }
    ctx.out(`Success! Stepped down: ${client.address}`);
    return exitOk;
  },
};
