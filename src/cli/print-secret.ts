// Prints a logical response in the chosen format, honouring -field; warnings go to stderr.

import type { VaultSecret } from '../api/index.js';
import type { CommandContext } from './command.js';
import { exitLocal, exitOk } from './command.js';
import { formatStructured } from './output/format.js';
import { goValue } from './output/go-value.js';
import { rawField, secretTable } from './output/secret.js';

export function printSecret(ctx: CommandContext, secret: VaultSecret, field: string): number {
  if (field !== '') return printField(ctx, secret, field);
  if (ctx.format !== 'table') {
    ctx.out(formatStructured(ctx.format, secret.raw));
    return exitOk;
  }
  printWarnings(ctx, secret.warnings);
  const text = secretTable(secret);
  if (text !== '') ctx.out(text);
  return exitOk;
}

/** Prints one field raw (no table, no trailing newline unless stdout is a terminal). */
export function printField(ctx: CommandContext, secret: VaultSecret, field: string): number {
  const value = rawField(secret, field);
  if (value === undefined) {
    ctx.err(`Field "${field}" not present in secret`);
    return exitLocal;
  }
  const text = ctx.format === 'table' ? goValue(value) : formatStructured(ctx.format, value).replace(/\n$/, '');
  ctx.io.stdout.write(ctx.io.stdout.isTTY === true ? text + '\n' : text);
  return exitOk;
}

export function printWarnings(ctx: CommandContext, warnings: readonly string[] | null): void {
  if (warnings === null || warnings.length === 0) return;
  ctx.err(`WARNING! The following warnings were returned from the server:\n\n${warnings.map((w) => `  * ${w}`).join('\n')}\n`);
}
