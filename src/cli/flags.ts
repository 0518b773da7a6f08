// A Go `flag`-package parser: `-name`, `--name`, `-name=value`, `-name value`; bool flags take no
// separate value; parsing stops at the first positional argument, at `-` and after `--`.
// (commander was not used: it cannot read single-dash long flags or stop at the first argument.)

import { parseGoBool } from '../shared/index.js';

export type FlagKind = 'bool' | 'string' | 'int' | 'list' | 'map';

export interface FlagSpec {
  name: string;
  kind: FlagKind;
  usage: string;
  /** Shown in help and returned when the flag is absent (bool: false, list/map: empty). */
  default?: string | boolean | number;
  /** Other names for the same flag (vault's `-f` for `-force`). */
  aliases?: readonly string[];
}

/** A usage error: the CLI prints the message and exits 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedFlags {
  /** Arguments after the flags, in order. */
  args: string[];
  /** Arguments after the first positional one that look like flags (vault warns about these). */
  ignoredFlags: string[];
  help: boolean;
  isSet(name: string): boolean;
  str(name: string): string;
  bool(name: string): boolean;
  int(name: string): number;
  list(name: string): string[];
  /** `-name k=v` repeated; a later key wins. */
  map(name: string): Record<string, string>;
}

/** Parses `argv` against `specs`; throws UsageError for unknown flags or bad values. */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const aliasOf = new Map(specs.flatMap((s) => (s.aliases ?? []).map((a) => [a, s.name] as const)));
  const values = new Map<string, string | boolean | number | string[]>();
  let help = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      i++;
      break;
    }
    if (a.length < 2 || !a.startsWith('-')) break;
    let name = a.slice(a.startsWith('--') ? 2 : 1);
    if (name === '' || name.startsWith('-') || name.startsWith('=')) throw new UsageError(`bad flag syntax: ${a}`);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    name = aliasOf.get(name) ?? name;
    const spec = byName.get(name);
    if (spec === undefined) {
      if (name === 'h' || name === 'help') {
        help = true;
        continue;
      }
      throw new UsageError(`flag provided but not defined: -${name}`);
    }
    if (spec.kind === 'bool') {
      if (value === undefined) values.set(name, true);
      else {
        const b = parseGoBool(value);
        if (b === undefined) throw new UsageError(`invalid boolean value "${value}" for -${name}: parse error`);
        values.set(name, b);
      }
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: -${name}`);
      value = argv[++i] ?? '';
    }
    switch (spec.kind) {
      case 'string':
        values.set(name, value);
        break;
      case 'int': {
        if (!/^[-+]?\d+$/.test(value.trim())) throw new UsageError(`invalid value "${value}" for flag -${name}: parse error`);
        values.set(name, Number(value.trim()));
        break;
      }
      case 'list':
      case 'map': {
        if (spec.kind === 'map' && !value.includes('=')) {
          throw new UsageError(`invalid value "${value}" for flag -${name}: expected key=value`);
        }
        const prev = values.get(name);
        values.set(name, [...(Array.isArray(prev) ? prev : []), value]);
        break;
      }
    }
  }
  const args = argv.slice(i);
  const ignoredFlags = args.slice(1).filter((x) => x.length > 1 && x.startsWith('-'));

  const get = (name: string): string | boolean | number | string[] | undefined => {
    if (!byName.has(name)) throw new Error(`flag -${name} was not declared`);
    return values.get(name) ?? byName.get(name)?.default;
  };
  return {
    args,
    ignoredFlags,
    help,
    isSet: (name) => values.has(name),
    str: (name) => {
      const v = get(name);
      return typeof v === 'string' ? v : v === undefined ? '' : String(v);
    },
    bool: (name) => get(name) === true,
    int: (name) => {
      const v = get(name);
      return typeof v === 'number' ? v : 0;
    },
    list: (name) => {
      const v = get(name);
      return Array.isArray(v) ? v : [];
    },
    map: (name) => {
      const v = get(name);
      const out: Record<string, string> = {};
      if (Array.isArray(v)) {
        for (const kv of v) {
          const eq = kv.indexOf('=');
          out[kv.slice(0, eq)] = kv.slice(eq + 1);
        }
      }
      return out;
    },
  };
}

/** Help text lines for `specs`, in the style of vault's flag sections. */
export function flagHelp(specs: readonly FlagSpec[]): string {
  return specs
    .map((s) => {
      const head = s.kind === 'bool' ? `  -${s.name}` : `  -${s.name}=<${s.kind === 'map' ? 'key=value' : s.kind}>`;
      const def = s.default !== undefined && s.default !== '' && s.default !== false ? ` The default is ${String(s.default)}.` : '';
      return `${head}\n      ${s.usage}${def}`;
    })
    .join('\n\n');
}
