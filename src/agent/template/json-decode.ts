// JSON → Go values the way encoding/json decodes into interface{}: objects become
// map[string]interface{}, arrays []interface{}, and numbers json.Number (UseNumber, as Vault
// responses are read) or float64 (plain Unmarshal, as parseJSON does).
import type { GoValue } from './go-values.js';
import { GoMap, GoSlice, JsonNumber } from './go-values.js';

export class JsonSyntaxError extends Error {}

/** Parses JSON text; throws JsonSyntaxError with Go-like wording. */
export function decodeJson(text: string, opts: { useNumber: boolean }): GoValue {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n && ' \t\r\n'.includes(text[i] ?? '')) i++;
  };
  const fail = (what: string): never => {
    if (i >= n) throw new JsonSyntaxError('unexpected end of JSON input');
    throw new JsonSyntaxError(`invalid character ${quoteChar(text[i] ?? '')} ${what}`);
  };
  const value = (): GoValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries = new Map<string, GoValue>();
      ws();
      if (text[i] === '}') {
        i++;
        return new GoMap(entries);
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        const key = str();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        entries.set(key, value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return new GoMap(entries);
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const items: GoValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return new GoSlice(items);
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return new GoSlice(items);
        }
        fail('after array element');
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (m === null || m[0] === '' || m[0] === '-') return fail('looking for beginning of value');
    i += m[0].length;
    return opts.useNumber ? new JsonNumber(m[0]) : Number(m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) fail('in string literal');
      const c = text[i] ?? '';
      if (c === '"') break;
      if (c === '\\') i += 2;
      else if (c < ' ') fail('in string literal');
      else i++;
    }
    i++;
    try {
      const parsed: unknown = JSON.parse(text.slice(start, i));
      if (typeof parsed === 'string') return parsed;
    } catch {
      // fall through to the syntax error
    }
    i = start;
    return fail('in string escape code');
  };
  const v = value();
  ws();
  if (i < n) fail('after top-level value');
  return v;
}

function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c < ' ') return `'\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}
