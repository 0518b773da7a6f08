// toTOML's encoder, following github.com/BurntSushi/toml's Encoder: sorted keys, plain values
// before sub-tables, two-space indentation per table level, json.Number as int or float.
import type { GoValue } from './go-values.js';
import { GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber, SizedInt } from './go-values.js';
import { compareGoStrings } from './go-values.js';
import { formatFloat } from './format-float.js';
import { FuncError } from './template-error.js';

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function quoteKey(k: string): string {
  return BARE_KEY.test(k) ? k : tomlString(k);
}

function tomlString(s: string): string {
  let out = '"';
  for (const c of s) {
    const r = c.codePointAt(0) ?? 0;
    switch (c) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\r':
        out += '\\r';
        break;
      default:
        out += r < 0x20 || r === 0x7f ? `\\u${r.toString(16).padStart(4, '0')}` : c;
    }
  }
  return `${out}"`;
}

function tomlFloat(f: number): string {
  if (Number.isNaN(f)) return 'nan';
  if (f === Infinity) return 'inf';
  if (f === -Infinity) return '-inf';
  const s = formatFloat(f, 'f', -1);
  return s.includes('.') ? s : `${s}.0`;
}

const isNil = (v: GoValue): boolean => v === undefined || v === null || v instanceof GoNilPointer;

function isTable(v: GoValue): v is GoMap | GoStruct {
  return v instanceof GoMap || v instanceof GoStruct;
}

function isTableArray(v: GoValue): v is GoSlice {
  return v instanceof GoSlice && v.items.length > 0 && v.items.every((x) => isTable(x));
}

function entries(v: GoMap | GoStruct): Array<[string, GoValue]> {
  if (v instanceof GoStruct) return v.fields.map(([k, x]) => [k, x]);
  return [...v.entries.keys()].sort(compareGoStrings).map((k) => [k, v.entries.get(k)]);
}

function value(v: GoValue): string {
  if (typeof v === 'string') return tomlString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof SizedInt) return v.value.toString();
  if (typeof v === 'number') return tomlFloat(v);
  if (v instanceof JsonNumber) {
    if (v.text === '') return '0';
    if (/^-?\d+$/.test(v.text)) return BigInt(v.text).toString();
    const f = Number(v.text);
    if (Number.isFinite(f)) return tomlFloat(f);
    throw new FuncError(`toml: unable to convert ${JSON.stringify(v.text)} to int64 or float64`);
  }
  if (v instanceof GoSlice) return `[${v.items.filter((x) => !isNil(x)).map((x) => value(x)).join(', ')}]`;
  if (isTable(v)) {
    return `{${entries(v)
      .filter(([, x]) => !isNil(x))
      .map(([k, x]) => `${quoteKey(k)} = ${value(x)}`)
      .join(', ')}}`;
  }
  throw new FuncError('toml: unsupported type');
}

class TomlWriter {
  out = '';
  private written = false;

  private write(s: string): void {
    this.out += s;
    this.written = true;
  }

  private newline(): void {
    if (this.written) this.out += '\n';
  }

  private indent(path: readonly string[]): string {
    return '  '.repeat(Math.max(path.length - 1, 0));
  }

  table(path: readonly string[], v: GoMap | GoStruct): void {
    const all = entries(v).filter(([, x]) => !isNil(x));
    const direct = all.filter(([, x]) => !isTable(x) && !isTableArray(x));
    const sub = all.filter(([, x]) => isTable(x) || isTableArray(x));
    for (const [k, x] of direct) {
      const p = [...path, k];
      this.write(`${this.indent(p)}${quoteKey(k)} = ${value(x)}`);
      this.newline();
    }
    for (const [k, x] of sub) {
      const p = [...path, k];
      const header = p.map(quoteKey).join('.');
      if (x instanceof GoSlice) {
        for (const item of x.items) {
          this.newline();
          this.write(`${this.indent(p)}[[${header}]]`);
          this.newline();
          this.table(p, item as GoMap | GoStruct);
        }
        continue;
      }
      if (p.length === 1) this.newline();
      this.write(`${this.indent(p)}[${header}]`);
      this.newline();
      this.table(p, x as GoMap | GoStruct);
    }
  }
}

/** toml.NewEncoder(buf).Encode(v) with surrounding whitespace trimmed, as toTOML returns it. */
export function encodeToml(v: GoValue): string {
  if (!isTable(v)) throw new FuncError('toml: top-level values must be Go maps or structs');
  const w = new TomlWriter();
  w.table([], v);
  return w.out.trim();
}
