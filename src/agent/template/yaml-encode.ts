// toYAML's encoder, following gopkg.in/yaml.v2's Marshal output: block style, 2-space indent,
// sequences under a key not indented, yaml.v2's natural key order, json.Number emitted as a
// number, and strings quoted only when they would read back as something else.
import type { GoValue } from './go-values.js';
import { GoChan, GoFunc, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber, SizedInt } from './go-values.js';
import { formatFloat } from './format-float.js';
import { FuncError } from './template-error.js';

/** yaml.v2's keyList.Less for string keys: letters before digits, digit runs compared numerically. */
function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  const isLetter = (c: string | undefined): boolean => c !== undefined && /\p{L}/u.test(c);
  const isDigit = (c: string | undefined): boolean => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i] ?? '';
    const y = br[i] ?? '';
    if (x === y) continue;
    const al = isLetter(x);
    const bl = isLetter(y);
    if (al && bl) return (x.codePointAt(0) ?? 0) < (y.codePointAt(0) ?? 0);
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(Number(ar[ai]));
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(Number(br[bi]));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (x.codePointAt(0) ?? 0) < (y.codePointAt(0) ?? 0);
  }
  return ar.length < br.length;
}

const RESOLVES_NON_STRING =
  /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?(?:0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|(?:0|[1-9][0-9_]*))|[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|<<)$/;

function plainAllowed(s: string): boolean {
  if (s === '') return false;
  if (/^\s|\s$/.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^[-?:][^\s]/.test(s)) return false;
  if (/^[,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (/: |:$| #|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return false;
  if (/^(?:---|\.\.\.)/.test(s)) return false;
  return true;
}

function doubleQuote(s: string): string {
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
      case '\0':
        out += '\\0';
        break;
      case '\x07':
        out += '\\a';
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
      case '\v':
        out += '\\v';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\x1b':
        out += '\\e';
        break;
      case '\u0085':
        out += '\\N';
        break;
      case '\u00a0':
        out += '\\_';
        break;
      case '\u2028':
        out += '\\L';
        break;
      case '\u2029':
        out += '\\P';
        break;
      default:
        if (r < 0x20 || r === 0x7f) out += `\\x${r.toString(16).toUpperCase().padStart(2, '0')}`;
        else if (r === 0xfeff) out += '\\uFEFF';
        else out += c;
    }
  }
  return `${out}"`;
}

function scalarString(s: string, indent: string): string {
  if (s.includes('\n') && !/[\x00-\x08\x0b-\x1f\x7f]/.test(s.replace(/\r/g, ''))) {
    const trailing = /\n+$/.exec(s)?.[0].length ?? 0;
    const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
    const body = (trailing > 0 ? s.slice(0, s.length - trailing) : s).split('\n');
    const lead = /^ /.test(s) ? '2' : '';
    const lines = body.map((l) => (l === '' ? '' : indent + l));
    const extra = trailing > 1 ? '\n'.repeat(trailing - 1) : '';
    return `|${lead}${chomp}\n${lines.join('\n')}${extra}`;
  }
  if (RESOLVES_NON_STRING.test(s) || s === '') return doubleQuote(s);
  if (plainAllowed(s)) return s;
  if (/[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return doubleQuote(s);
  return `'${s.replace(/'/g, "''")}'`;
}

function yamlFloat(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  return formatFloat(f, 'g', -1);
}

type Entry = readonly [string, GoValue];

function isCollection(v: GoValue): v is GoMap | GoSlice | GoStruct {
  return (v instanceof GoMap && v.entries.size > 0) || (v instanceof GoSlice && v.items.length > 0) || v instanceof GoStruct;
}

function scalar(v: GoValue, indent: string): string {
  if (v === undefined || v === null || v instanceof GoNilPointer) return 'null';
  if (typeof v === 'string') return scalarString(v, indent);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof SizedInt) return v.value.toString();
  if (typeof v === 'number') return yamlFloat(v);
  if (v instanceof JsonNumber) {
    if (/^-?\d+$/.test(v.text) && BigInt(v.text) >= -(1n << 63n) && BigInt(v.text) < 1n << 63n) return BigInt(v.text).toString();
    const f = Number(v.text);
    if (v.text !== '' && Number.isFinite(f)) return yamlFloat(f);
    return scalarString(v.text, indent);
  }
  if (v instanceof GoMap) return '{}';
  if (v instanceof GoSlice) return '[]';
  if (v instanceof GoChan || v instanceof GoFunc) throw new FuncError('cannot marshal type: ' + (v instanceof GoChan ? 'chan' : 'func'));
  return 'null';
}

function entriesOf(v: GoMap | GoStruct): Entry[] {
  if (v instanceof GoStruct) return v.fields.map(([k, x]) => [k.toLowerCase(), x]);
  const keys = [...v.entries.keys()].sort((a, b) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
  return keys.map((k) => [k, v.entries.get(k)]);
}

function block(v: GoMap | GoSlice | GoStruct, depth: number): string[] {
  const ind = '  '.repeat(depth);
  const lines: string[] = [];
  if (v instanceof GoSlice) {
    for (const item of v.items) {
      if (isCollection(item)) {
        const inner = block(item, depth + 1);
        const first = (inner[0] ?? '').slice((depth + 1) * 2);
        lines.push(`${ind}- ${first}`, ...inner.slice(1));
      } else {
        lines.push(`${ind}- ${scalar(item, `${ind}  `)}`);
      }
    }
    return lines;
  }
  for (const [k, x] of entriesOf(v)) {
    const key = scalarString(k, ind);
    if (x instanceof GoSlice && x.items.length > 0) {
      lines.push(`${ind}${key}:`, ...block(x, depth));
    } else if (isCollection(x)) {
      lines.push(`${ind}${key}:`, ...block(x, depth + 1));
    } else {
      lines.push(`${ind}${key}: ${scalar(x, `${ind}  `)}`);
    }
  }
  return lines;
}

/** yaml.Marshal(v) with surrounding whitespace trimmed, as toYAML returns it. */
export function encodeYaml(v: GoValue): string {
  if (isCollection(v)) return block(v, 0).join('\n').trim();
  return scalar(v, '  ').trim();
}
