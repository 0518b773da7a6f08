// consul-template's parse* and to* helpers: strconv-style parsing with Go's error texts, and
// JSON / YAML / TOML encoders (toJSON escapes <, >, & as encoding/json does).
import { T } from './go-types.js';
import type { GoValue } from './go-values.js';
import { GoFunc, GoMap, SizedInt } from './go-values.js';
import { decodeJson, JsonSyntaxError } from './json-decode.js';
import { encodeJson, JsonEncodeError } from './json-encode.js';
import { encodeToml } from './toml-encode.js';
import { decodeYaml } from './yaml-decode.js';
import { encodeYaml } from './yaml-encode.js';
import { FuncError } from './template-error.js';

const str = (v: GoValue): string => (typeof v === 'string' ? v : '');
const q = (s: string): string => JSON.stringify(s);

function parseBool(s: string): boolean {
  if (s === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new FuncError(`parseBool: strconv.ParseBool: parsing ${q(s)}: invalid syntax`);
}

function parseInteger(name: string, goFn: string, s: string, unsigned: boolean): SizedInt {
  if (s === '') return new SizedInt(unsigned ? 'uint64' : 'int64', 0n);
  const ok = unsigned ? /^\+?\d+$/.test(s) : /^[+-]?\d+$/.test(s);
  if (!ok) throw new FuncError(`${name}: strconv.${goFn}: parsing ${q(s)}: invalid syntax`);
  const v = BigInt(s);
  const [min, max] = unsigned ? [0n, (1n << 64n) - 1n] : [-(1n << 63n), (1n << 63n) - 1n];
  if (v < min || v > max) throw new FuncError(`${name}: strconv.${goFn}: parsing ${q(s)}: value out of range`);
  return new SizedInt(unsigned ? 'uint64' : 'int64', v);
}

function parseFloat(s: string): number {
  if (s === '') return 0;
  const t = s.replace(/_/g, '');
  let v: number | undefined;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) v = Number(t);
  else if (/^[+-]?(inf|infinity)$/i.test(t)) v = t.startsWith('-') ? -Infinity : Infinity;
  else if (/^nan$/i.test(t)) v = NaN;
  if (v === undefined) throw new FuncError(`parseFloat: strconv.ParseFloat: parsing ${q(s)}: invalid syntax`);
  if (!Number.isFinite(v) && !/inf|nan/i.test(t)) {
    throw new FuncError(`parseFloat: strconv.ParseFloat: parsing ${q(s)}: value out of range`);
  }
  return v;
}

function parseJson(s: string): GoValue {
  if (s === '') return new GoMap(new Map());
  try {
    return decodeJson(s, { useNumber: false });
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new FuncError(e.message);
    throw e;
  }
}

function toJson(name: string, v: GoValue, escapeHtml: boolean, indent?: string): string {
  try {
    return encodeJson(v, indent === undefined ? { escapeHtml } : { escapeHtml, indent }).trim();
  } catch (e) {
    if (e instanceof JsonEncodeError) throw new FuncError(`${name}: ${e.message}`);
    throw e;
  }
}

function wrap(name: string, f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof FuncError) throw new FuncError(`${name}: ${e.message}`);
    throw e;
  }
}

const S = T.string;
const I = T.iface;

/** Parsing and encoding helpers keyed by template name. */
export function conversionFunctions(): Map<string, GoFunc> {
  return new Map<string, GoFunc>([
    ['parseBool', new GoFunc([S], undefined, T.bool, (a) => parseBool(str(a[0])))],
    ['parseInt', new GoFunc([S], undefined, T.int64, (a) => parseInteger('parseInt', 'ParseInt', str(a[0]), false))],
    ['parseUint', new GoFunc([S], undefined, T.uint64, (a) => parseInteger('parseUint', 'ParseUint', str(a[0]), true))],
    ['parseFloat', new GoFunc([S], undefined, T.float64, (a) => parseFloat(str(a[0])))],
    ['parseJSON', new GoFunc([S], undefined, I, (a) => parseJson(str(a[0])))],
    ['parseYAML', new GoFunc([S], undefined, I, (a) => (str(a[0]) === '' ? new GoMap(new Map()) : decodeYaml(str(a[0]))))],
    ['toJSON', new GoFunc([I], undefined, S, (a) => toJson('toJSON', a[0] ?? null, true))],
    ['toJSONPretty', new GoFunc([I], undefined, S, (a) => toJson('toJSONPretty', a[0] ?? null, true, '  '))],
    ['toUnescapedJSON', new GoFunc([I], undefined, S, (a) => toJson('toUnescapedJSON', a[0] ?? null, false))],
    ['toUnescapedJSONPretty', new GoFunc([I], undefined, S, (a) => toJson('toUnescapedJSONPretty', a[0] ?? null, false, '  '))],
    ['toYAML', new GoFunc([I], undefined, S, (a) => wrap('toYAML', () => encodeYaml(a[0] ?? null)))],
    ['toTOML', new GoFunc([I], undefined, S, (a) => wrap('toTOML', () => encodeToml(a[0] ?? null)))],
  ]);
}
