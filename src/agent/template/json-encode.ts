// Go's encoding/json Marshal/MarshalIndent for template values: sorted map keys, json.Number
// written verbatim, floats in Go's format, and (unless disabled) HTML-safe escaping of < > &.
import { typeString } from './go-types.js';
import type { GoValue } from './go-values.js';
import {
  GoChan,
  GoFunc,
  GoMap,
  GoNilPointer,
  GoSlice,
  GoStruct,
  JsonNumber,
  SizedInt,
  sortedKeys,
  typeOf,
} from './go-values.js';
import { formatFloat } from './format-float.js';

export class JsonEncodeError extends Error {}

export interface JsonEncodeOptions {
  escapeHtml: boolean;
  /** Indent unit for MarshalIndent; undefined for compact output. */
  indent?: string;
}

const HEX = '0123456789abcdef';

/** Go's encodeState.string. */
export function jsonString(s: string, escapeHtml: boolean): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0) ?? 0;
    if (r >= 0xd800 && r <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    if (r < 0x80) {
      if (r >= 0x20 && ch !== '"' && ch !== '\\' && (!escapeHtml || (ch !== '<' && ch !== '>' && ch !== '&'))) {
        out += ch;
        continue;
      }
      switch (ch) {
        case '\\':
        case '"':
          out += `\\${ch}`;
          break;
        case '\b':
          out += '\\b';
          break;
        case '\f':
          out += '\\f';
          break;
        case '\n':
          out += '\\n';
          break;
        case '\r':
          out += '\\r';
          break;
        case '\t':
          out += '\\t';
          break;
        default:
          out += `\\u00${HEX[r >> 4] ?? '0'}${HEX[r & 0xf] ?? '0'}`;
      }
      continue;
    }
    if (r === 0x2028 || r === 0x2029) {
      out += `\\u202${HEX[r & 0xf] ?? '8'}`;
      continue;
    }
    out += ch;
  }
  return `${out}"`;
}

/** Go's floatEncoder: %f style unless the magnitude calls for an exponent, which is trimmed. */
function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new JsonEncodeError(`json: unsupported value: ${formatFloat(f, 'g', -1)}`);
  const abs = Math.abs(f);
  let fmt: 'f' | 'e' = 'f';
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) fmt = 'e';
  let s = formatFloat(f, fmt, -1);
  if (fmt === 'e') {
    // clean up e-09 to e-9
    const n = s.length;
    if (n >= 4 && s[n - 4] === 'e' && s[n - 3] === '-' && s[n - 2] === '0') s = s.slice(0, n - 2) + s.slice(n - 1);
  }
  return s;
}

function encode(v: GoValue, opts: JsonEncodeOptions, depth: number): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return jsonString(v, opts.escapeHtml);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return jsonFloat(v);
  if (v instanceof SizedInt) return v.value.toString();
  if (v instanceof JsonNumber) {
    if (v.text === '') return '0';
    if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(v.text)) {
      throw new JsonEncodeError(`json: invalid number literal ${jsonString(v.text, false)}`);
    }
    return v.text;
  }
  const nl = (d: number): string => (opts.indent === undefined ? '' : `\n${opts.indent.repeat(d)}`);
  const colon = opts.indent === undefined ? ':' : ': ';
  if (v instanceof GoStruct && v.marshalText !== undefined) return jsonString(v.marshalText(), opts.escapeHtml);
  if (v instanceof GoMap && v.ifaceKeys) {
    throw new JsonEncodeError(`json: unsupported type: ${typeString(typeOf(v) ?? { kind: 'interface' })}`);
  }
  if (v instanceof GoMap || v instanceof GoStruct) {
    const pairs: Array<[string, GoValue]> =
      v instanceof GoMap ? sortedKeys(v).map((k) => [k, v.entries.get(k)]) : v.fields.map(([k, x]) => [k, x]);
    if (pairs.length === 0) return '{}';
    const parts = pairs.map(([k, x]) => `${nl(depth + 1)}${jsonString(k, opts.escapeHtml)}${colon}${encode(x, opts, depth + 1)}`);
    return `{${parts.join(',')}${nl(depth)}}`;
  }
  if (v instanceof GoSlice) {
    if (v.items.length === 0) return '[]';
    const parts = v.items.map((x) => `${nl(depth + 1)}${encode(x, opts, depth + 1)}`);
    return `[${parts.join(',')}${nl(depth)}]`;
  }
  if (v instanceof GoNilPointer) return 'null';
  if (v instanceof GoChan || v instanceof GoFunc) {
    throw new JsonEncodeError(`json: unsupported type: ${typeString(typeOf(v) ?? { kind: 'interface' })}`);
  }
  return 'null';
}

/** json.Marshal / json.MarshalIndent(v, "", indent). */
export function encodeJson(v: GoValue, opts: JsonEncodeOptions): string {
  return encode(v, opts, 0);
}
