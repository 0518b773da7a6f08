// Reads a duration flag the way vault's CLI does: plain seconds ("90") or a Go duration ("1h30m").

import { CofferError, parseDurationSeconds } from '../shared/index.js';
import type { CommandContext } from './command.js';
import { UsageError } from './flags.js';

/** The flag `name` in whole seconds (0 when unset); throws UsageError for an unparsable value. */
export function durationFlagSeconds(ctx: CommandContext, name: string): number {
  const raw = ctx.flags.str(name);
  try {
    return parseDurationSeconds(raw, name);
  } catch (e) {
    if (e instanceof CofferError) throw new UsageError(`invalid value "${raw}" for flag -${name}: ${e.message}`);
    throw e;
  }
}
