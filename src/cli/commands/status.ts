// `coffer status`: seal and HA status. Exit 0 unsealed, 2 sealed, 1 on error (vault's contract).

import { ApiError } from '../../api/index.js';
import type { ApiClient, LeaderStatus, SealStatus } from '../../api/index.js';
import type { Command, CommandContext } from '../command.js';
import { exitLocal, exitOk, exitRemote } from '../command.js';
import { formatStructured } from '../output/format.js';
import { sealStatusJson, sealStatusTable } from '../output/seal-status.js';

/**
 * Prints a seal status (with HA rows when sys/leader answers). While sealed a failing sys/leader
 * is not an error: the HA rows are left out. Returns 1 only when sys/leader fails while unsealed.
 */
export async function printSealStatus(ctx: CommandContext, client: ApiClient, status: SealStatus): Promise<number> {
  let leader: LeaderStatus | undefined;
  try {
    leader = await client.leader();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (!status.sealed) {
      ctx.err(`Error checking leader status: ${e.message}`);
      return exitLocal;
    }
  }
  if (ctx.format === 'table') ctx.out(sealStatusTable(status, leader));
  else ctx.out(formatStructured(ctx.format, sealStatusJson(status, leader)));
  return exitOk;
}

export const statusCommand: Command = {
  name: 'status',
  synopsis: 'Print seal and HA status',
  help: `Usage: coffer status [options]

  Prints the current state of the server: whether it is initialized and sealed, its
  seal configuration, version and HA state.

  The exit code reflects the seal status: 0 unsealed, 2 sealed, 1 error.`,
  flags: [],
  http: true,
  output: true,
  async run(ctx) {
    if (ctx.args.length > 0) {
      ctx.err(`Too many arguments (expected 0, got ${ctx.args.length})`);
      return exitLocal;
    }
    const client = ctx.client();
    let status: SealStatus;
    try {
      status = await client.sealStatus();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      ctx.err(`Error checking seal status: ${e.message}`);
      return exitLocal;
    }
    const code = await printSealStatus(ctx, client, status);
    if (code !== exitOk) return code;
    return status.sealed ? exitRemote : exitOk;
  },
};
