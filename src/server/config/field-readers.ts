// Typed readers for config attribute values. Each failure is a CofferError (invalid_request)
// whose message names the file, the line and the field: `config.hcl:7: listener "tcp": address must be a string`.

import { CofferError, parseDurationSeconds, parseGoBool } from '../../shared/index.js';
import type { HclAttribute, HclValue } from '../../shared/hcl/index.js';

export function configError(file: string, line: number, message: string): CofferError {
  return new CofferError('invalid_request', `${file}:${line}: ${message}`);
}

/** Where a value sits, for messages: the file and a prefix such as `listener "tcp": `. */
export interface FieldContext {
  file: string;
  prefix: string;
}

function fail(ctx: FieldContext, attr: HclAttribute, problem: string): never {
  throw configError(ctx.file, attr.value.pos.line, `${ctx.prefix}${attr.key} ${problem}`);
}

function kindName(v: HclValue): string {
  return v.kind === 'list' ? 'a list' : v.kind === 'object' ? 'an object' : v.kind === 'null' ? 'null' : `a ${v.kind}`;
}

/** A string; numbers are not silently accepted for addresses and names. */
export function readString(ctx: FieldContext, attr: HclAttribute): string {
  if (attr.value.kind !== 'string') fail(ctx, attr, `must be a string, not ${kindName(attr.value)}`);
  return attr.value.value;
}

/** A boolean: true/false, a Go ParseBool string ("true", "1", "f"...), or the numbers 0 and 1. */
export function readBool(ctx: FieldContext, attr: HclAttribute): boolean {
  const v = attr.value;
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'number' && (v.value === 0 || v.value === 1)) return v.value === 1;
  if (v.kind === 'string') {
    const b = parseGoBool(v.value.trim());
    if (b !== undefined) return b;
    fail(ctx, attr, `must be a boolean, not ${JSON.stringify(v.value)}`);
  }
  return fail(ctx, attr, `must be a boolean, not ${kindName(v)}`);
}

/** A non-negative duration in seconds: an integer (seconds) or a Go duration string ("768h", "1h30m"). */
export function readDuration(ctx: FieldContext, attr: HclAttribute): number {
  const v = attr.value;
  if (v.kind !== 'string' && v.kind !== 'number') fail(ctx, attr, `must be a duration such as "768h", not ${kindName(v)}`);
  let seconds: number;
  try {
    seconds = parseDurationSeconds(v.value, attr.key);
  } catch (e) {
    if (!(e instanceof CofferError)) throw e;
    return fail(ctx, attr, `must be a duration such as "768h", not ${JSON.stringify(v.value)}`);
  }
  if (seconds < 0) fail(ctx, attr, `must not be negative`);
  return seconds;
}

/** An integer: a number or a string of digits (HCL1 decodes "1024" into an int field). */
export function readInt(ctx: FieldContext, attr: HclAttribute): number {
  const v = attr.value;
  if (v.kind === 'number' && Number.isSafeInteger(v.value)) return v.value;
  if (v.kind === 'string' && /^-?\d+$/.test(v.value.trim())) {
    const n = Number(v.value.trim());
    if (Number.isSafeInteger(n)) return n;
  }
  const shown = v.kind === 'string' ? JSON.stringify(v.value) : v.kind === 'number' ? v.raw : kindName(v);
  return fail(ctx, attr, `must be an integer, not ${shown}`);
}

/** A scalar turned into the string Vault's map[string]string decoding would give. */
export function readScalarAsString(ctx: FieldContext, attr: HclAttribute): string {
  const v = attr.value;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'number') return String(v.value);
  if (v.kind === 'bool') return v.value ? 'true' : 'false';
  return fail(ctx, attr, `must be a string, number or boolean, not ${kindName(v)}`);
}

/** The last attribute named `key`, if any (HCL1 lets a repeated key win by position). */
export function lastAttribute(attrs: readonly HclAttribute[], key: string): HclAttribute | undefined {
  let found: HclAttribute | undefined;
  for (const a of attrs) if (a.key === key) found = a;
  return found;
}
