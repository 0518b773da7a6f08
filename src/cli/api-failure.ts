// Reports a failed API call the way vault does: "<what>: <ApiError message>" on stderr, exit 2.
// Anything that is not an ApiError is re-thrown for the dispatcher to report.

import { ApiError } from '../api/index.js';
import type { CommandContext } from './command.js';
import { exitRemote } from './command.js';

export function apiFailure(ctx: CommandContext, what: string, e: unknown): number {
  if (!(e instanceof ApiError)) throw e;
  ctx.err(`${what}: ${e.message}`);
  return exitRemote;
}
