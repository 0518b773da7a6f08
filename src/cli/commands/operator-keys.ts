// `coffer operator key-status` and `coffer operator rotate`: the barrier keyring's term.

import type { KeyStatus } from '../../api/index.js';
import type { Command, CommandContext } from '../command.js';
import { argsError, exitOk } from '../command.js';
import { apiFailure } from '../api-failure.js';
import { columns } from '../output/columns.js';
import { formatStructured } from '../output/format.js';

function printKeyStatus(ctx: CommandContext, ks: KeyStatus, prefix: string): void {
  if (ctx.format !== 'table') {
    ctx.out(formatStructured(ctx.format, ks.raw));
    return;
  }
  // vault prints these two-column rows without a header, the time in Go's RFC 822 layout.
  const rows: [string, string][] = [
    ['Key Term', String(ks.term)],
    ['Install Time', rfc822(ks.install_time)],
  ];
  if ('encryptions' in ks.raw) rows.push(['Encryption Count', String(ks.encryptions)]);
  ctx.out(prefix + columns(rows));
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Formats an RFC 3339 time as Go's time.RFC822 in UTC ("02 Jan 06 15:04 UTC"); unparsable input is returned as is. */
export function rfc822(iso: string): string {
  const d = new Date(iso);
  if (iso === '' || Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())} ${months[d.getUTCMonth()] ?? ''} ${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

export const operatorKeyStatusCommand: Command = {
  name: 'operator key-status',
  synopsis: 'Provides information about the active encryption key',
  help: `Usage: coffer operator key-status [options]

  Prints the current term of the barrier encryption key and when it was installed.`,
  flags: [],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 0, 0);
    if (argsFailed !== undefined) return argsFailed;
    let ks: KeyStatus;
    try {
      ks = await ctx.client().keyStatus();
    } catch (e) {
      return apiFailure(ctx, 'Error reading key status', e);
    }
    printKeyStatus(ctx, ks, '');
    return exitOk;
  },
};

export const operatorRotateCommand: Command = {
  name: 'operator rotate',
  synopsis: 'Rotates the underlying encryption key',
  help: `Usage: coffer operator rotate [options]

  Adds a new barrier encryption key (a new term). New writes use it; older terms keep
  decrypting existing data. Needs root or sudo.`,
  flags: [],
  http: true,
  output: true,
  async run(ctx) {
    const argsFailed = argsError(ctx, 0, 0);
    if (argsFailed !== undefined) return argsFailed;
    const client = ctx.client();
    let ks: KeyStatus;
    try {
      await client.rotate();
    } catch (e) {
      return apiFailure(ctx, 'Error rotating key', e);
    }
    try {
      ks = await client.keyStatus();
    } catch (e) {
      return apiFailure(ctx, 'Error reading key status', e);
    }
    printKeyStatus(ctx, ks, 'Success! Rotated key\n\n');
    return exitOk;
  },
};
