// Reads one config section (an HCL block or a JSON object) with positions, whichever way it was
// written: `method "approle" {}`, `method { type = "approle" }`, `"method": {"type": …}`,
// `"sink": [{…}]`. Failures are CofferError(invalid_request) as `file:line: section: field problem`.

import { CofferError, hclToPlain, hclValueToPlain, parseDurationSeconds, parseGoBool } from '../../shared/index.js';
import type { HclAttribute, HclBody, HclPlain, HclValue } from '../../shared/index.js';

export interface Section {
  file: string;
  /** e.g. `auto_auth.method "approle"`; '' for the top level. */
  where: string;
  body: HclBody;
  line: number;
  /** The type label (block label, `type` key, or the single key of a JSON label object). */
  label?: string;
}

export function configError(file: string, line: number, message: string): CofferError {
  return new CofferError('invalid_request', `${file}:${line}: ${message}`);
}

function fieldName(sec: Section, key: string): string {
  return sec.where === '' ? key : `${sec.where}: ${key}`;
}

function kindName(v: HclValue): string {
  return v.kind === 'list' ? 'a list' : v.kind === 'object' ? 'an object' : v.kind === 'null' ? 'null' : `a ${v.kind}`;
}

export function fail(sec: Section, line: number, key: string, problem: string): never {
  throw configError(sec.file, line, `${fieldName(sec, key)} ${problem}`);
}

/** The last attribute named `key` (HCL lets a repeated key win by position). */
export function attribute(sec: Section, key: string): HclAttribute | undefined {
  let found: HclAttribute | undefined;
  for (const a of sec.body.attributes) if (a.key === key) found = a;
  return found;
}

export function readString(sec: Section, key: string): string | undefined {
  const a = attribute(sec, key);
  if (a === undefined || a.value.kind === 'null') return undefined;
  if (a.value.kind === 'string') return a.value.value;
  return fail(sec, a.pos.line, key, `must be a string, not ${kindName(a.value)}`);
}

export function readBool(sec: Section, key: string): boolean | undefined {
  const a = attribute(sec, key);
  if (a === undefined || a.value.kind === 'null') return undefined;
  const v = a.value;
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'number' && (v.value === 0 || v.value === 1)) return v.value === 1;
  if (v.kind === 'string') {
    const b = parseGoBool(v.value.trim());
    if (b !== undefined) return b;
    return fail(sec, a.pos.line, key, `must be a boolean, not ${JSON.stringify(v.value)}`);
  }
  return fail(sec, a.pos.line, key, `must be a boolean, not ${kindName(v)}`);
}

/** Duration in milliseconds: seconds as a number, or a Go duration string ("5m", "1.5s"). */
export function readDurationMs(sec: Section, key: string): number | undefined {
  const a = attribute(sec, key);
  if (a === undefined || a.value.kind === 'null') return undefined;
  const v = a.value;
  if (v.kind === 'number') return Math.round(v.value * 1000);
  if (v.kind === 'string') {
    const s = v.value.trim();
    if (s === '') return undefined;
    // Sub-second precision matters for backoffs such as "500ms".
    const ms = /^(\d+(?:\.\d+)?)ms$/.exec(s);
    if (ms) return Math.round(Number(ms[1]));
    try {
      const secs = parseDurationSeconds(s, key);
      if (secs < 0) return fail(sec, a.pos.line, key, 'must not be negative');
      const frac = /^(\d+\.\d+)s$/.exec(s);
      return frac ? Math.round(Number(frac[1]) * 1000) : secs * 1000;
    } catch (e) {
      if (e instanceof CofferError && e.code === 'invalid_request') {
        return fail(sec, a.pos.line, key, `must be a duration such as "5m", not ${JSON.stringify(v.value)}`);
      }
      throw e;
    }
  }
  return fail(sec, a.pos.line, key, `must be a duration such as "5m", not ${kindName(v)}`);
}

export function readInt(sec: Section, key: string): number | undefined {
  const a = attribute(sec, key);
  if (a === undefined || a.value.kind === 'null') return undefined;
  const v = a.value;
  if (v.kind === 'number' && Number.isSafeInteger(v.value)) return v.value;
  if (v.kind === 'string' && /^-?\d+$/.test(v.value.trim())) return Number(v.value.trim());
  return fail(sec, a.pos.line, key, `must be an integer, not ${v.kind === 'string' ? JSON.stringify(v.value) : kindName(v)}`);
}

/**
 * A file mode. Strings are octal ("0640", "640"); HCL numbers written with a leading 0 are octal
 * (as HCL1 reads them); other numbers are taken as written (JSON has no octal: 416 = 0640).
 */
export function readMode(sec: Section, key: string): number | undefined {
  const a = attribute(sec, key);
  if (a === undefined || a.value.kind === 'null') return undefined;
  const v = a.value;
  let mode: number | undefined;
  if (v.kind === 'string' && /^0?[0-7]{1,4}$/.test(v.value.trim())) mode = parseInt(v.value.trim(), 8);
  else if (v.kind === 'number' && /^0[0-7]*$/.test(v.raw)) mode = parseInt(v.raw, 8);
  else if (v.kind === 'number' && Number.isSafeInteger(v.value) && v.value >= 0) mode = v.value;
  if (mode === undefined || mode > 0o7777) {
    return fail(sec, a.pos.line, key, `must be an octal file mode such as "0640", not ${v.kind === 'number' ? v.raw : v.kind === 'string' ? JSON.stringify(v.value) : kindName(v)}`);
  }
  return mode;
}

/** A string or a list of strings (e.g. `command = ["/bin/app", "-x"]`). */
export function readStringOrList(sec: Section, key: string): string | string[] | undefined {
  const a = attribute(sec, key);
  if (a === undefined || a.value.kind === 'null') return undefined;
  const v = a.value;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'list') {
    return v.items.map((item) => (item.kind === 'string' ? item.value : fail(sec, item.pos.line, key, `must hold only strings, not ${kindName(item)}`)));
  }
  return fail(sec, a.pos.line, key, `must be a string or a list of strings, not ${kindName(v)}`);
}

/** A map setting (`config = {…}` or `config {…}`) as plain values; {} when absent. */
export function readPlainMap(sec: Section, key: string): Record<string, unknown> {
  const out: Record<string, HclPlain> = {};
  for (const b of sec.body.blocks) if (b.type === key) Object.assign(out, hclToPlain(b.body));
  for (const a of sec.body.attributes) {
    if (a.key !== key) continue;
    const v = a.value.kind === 'list' && a.value.items.length === 1 ? a.value.items[0] : a.value;
    if (v?.kind !== 'object') return fail(sec, a.pos.line, key, `must be an object, not ${kindName(a.value)}`);
    const plain = hclValueToPlain(v);
    if (typeof plain === 'object' && plain !== null && !Array.isArray(plain)) Object.assign(out, plain);
  }
  return out;
}

/** A nested section of `parent`, named for messages (`auto_auth.sink "file"`). */
function subSection(parent: Section, where: string, body: HclBody, line: number, label?: string): Section {
  const name = parent.where === '' ? where : `${parent.where}.${where}`;
  return { file: parent.file, where: label === undefined ? name : `${name} ${JSON.stringify(label)}`, body, line, ...(label !== undefined ? { label } : {}) };
}

/** Every unlabelled section named `name`: blocks, object attributes, lists of objects. */
export function sections(parent: Section, name: string): Section[] {
  const out: Section[] = [];
  for (const b of parent.body.blocks) {
    if (b.type !== name) continue;
    if (b.labels.length > 0) fail(parent, b.pos.line, name, `takes no label (found ${b.labels.map((l) => JSON.stringify(l)).join(' ')})`);
    out.push(subSection(parent, name, b.body, b.pos.line));
  }
  for (const a of parent.body.attributes) {
    if (a.key !== name) continue;
    const items = a.value.kind === 'list' ? a.value.items : [a.value];
    for (const item of items) {
      if (item.kind !== 'object') fail(parent, item.pos.line, name, `must be a block or an object, not ${kindName(item)}`);
      out.push(subSection(parent, name, item.body, item.pos.line));
    }
  }
  return out.sort((x, y) => x.line - y.line);
}

/**
 * Every typed section named `name`, each with its label: `name "label" {}` blocks, or objects
 * carrying `type = "label"`, or JSON label objects `{"label": {…}}` (one key whose value is an
 * object). `labelKey` names the typed key (`type`, or `name` for env_template).
 */
export function labelledSections(parent: Section, name: string, labelKey = 'type'): Section[] {
  const out: Section[] = [];
  const fromBody = (body: HclBody, line: number): void => {
    const typed = body.attributes.find((a) => a.key === labelKey);
    if (typed !== undefined) {
      if (typed.value.kind !== 'string') fail(parent, typed.pos.line, `${name}.${labelKey}`, `must be a string, not ${kindName(typed.value)}`);
      out.push(subSection(parent, name, body, line, typed.value.value));
      return;
    }
    const entries = [...body.attributes.map((a) => ({ key: a.key, value: a.value, line: a.pos.line })), ...body.blocks.map((b) => ({ key: b.type, value: undefined, line: b.pos.line, block: b }))];
    if (entries.length === 0) fail(parent, line, name, `needs a ${labelKey} (${name} "TYPE" { … })`);
    for (const a of body.attributes) {
      const items = a.value.kind === 'list' ? a.value.items : [a.value];
      for (const item of items) {
        if (item.kind !== 'object') fail(parent, a.pos.line, name, `needs a ${labelKey} (${name} "TYPE" { … }); ${JSON.stringify(a.key)} is not a section`);
        out.push(subSection(parent, name, item.body, item.pos.line, a.key));
      }
    }
    for (const b of body.blocks) out.push(subSection(parent, name, b.body, b.pos.line, b.type));
  };
  for (const b of parent.body.blocks) {
    if (b.type !== name) continue;
    if (b.labels.length > 1) fail(parent, b.pos.line, name, `takes one label (found ${b.labels.map((l) => JSON.stringify(l)).join(' ')})`);
    const label = b.labels[0];
    if (label !== undefined) out.push(subSection(parent, name, b.body, b.pos.line, label));
    else fromBody(b.body, b.pos.line);
  }
  for (const a of parent.body.attributes) {
    if (a.key !== name) continue;
    const items = a.value.kind === 'list' ? a.value.items : [a.value];
    for (const item of items) {
      if (item.kind !== 'object') fail(parent, item.pos.line, name, `must be a block or an object, not ${kindName(item)}`);
      fromBody(item.body, item.pos.line);
    }
  }
  return out.sort((x, y) => x.line - y.line);
}

/** Warnings for keys of `sec` that are not in `known` (the agent ignores them, like Vault ignores unknown keys with a warning). */
export function unknownKeys(sec: Section, known: readonly string[], warnings: string[]): void {
  const seen = new Set<string>();
  const report = (key: string, line: number): void => {
    if (known.includes(key) || seen.has(key)) return;
    seen.add(key);
    warnings.push(`${sec.file}:${line}: ${fieldName(sec, key)}: unknown or unsupported setting ignored`);
  };
  for (const a of sec.body.attributes) report(a.key, a.pos.line);
  for (const b of sec.body.blocks) report(b.type, b.pos.line);
}
