// consul-template's string helpers, with the piped value as the last parameter: contains and
// friends, in, split, join, replaceAll, regex functions, case changes, trims, indent, hashes and
// base64 codecs.
import { createHash, createHmac } from 'node:crypto';
import { T } from './go-types.js';
import type { GoValue } from './go-values.js';
import type { SizedInt } from './go-values.js';
import { basicKind, GoFunc, GoMap, GoSlice, intValue, JsonNumber } from './go-values.js';
import { compileGoRegexp, expandGoTemplate } from './go-regexp.js';
import { FuncError } from './template-error.js';

const str = (v: GoValue): string => (typeof v === 'string' ? v : '');

function sameStringType(a: GoValue, b: GoValue): boolean {
  return (typeof a === 'string' && typeof b === 'string') || (a instanceof JsonNumber && b instanceof JsonNumber);
}

function stringOf(v: GoValue): string {
  return typeof v === 'string' ? v : v instanceof JsonNumber ? v.text : '';
}

/** consul-template's in(l, v): element match by kind (ints, floats, same-typed strings) or substring. */
export function inList(l: GoValue, v: GoValue): boolean {
  if (l instanceof GoSlice) {
    for (const item of l.items) {
      const k = basicKind(item);
      const vk = basicKind(v);
      if (k === 'int' && vk === 'int' && intValue(item as bigint | SizedInt) === intValue(v as bigint | SizedInt)) return true;
      if (k === 'float' && vk === 'float' && item === v) return true;
      if (k === 'string' && sameStringType(item, v) && stringOf(item) === stringOf(v)) return true;
    }
    return false;
  }
  if (typeof l === 'string' || l instanceof JsonNumber) {
    return sameStringType(l, v) && stringOf(l).includes(stringOf(v));
  }
  return false;
}

function containsSome(retTrue: boolean, invert: boolean): (a: readonly GoValue[]) => boolean {
  return (a) => {
    const needles = a[0] instanceof GoSlice ? a[0].items : [];
    for (const n of needles) if (inList(a[1], n) !== invert) return !retTrue;
    return retTrue;
  };
}

const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** strings.TrimSpace (Unicode White_Space, not the BOM). */
export function goTrimSpace(s: string): string {
  return s.replace(GO_SPACE, '');
}

function perRune(s: string, f: (c: string) => string): string {
  return Array.from(s, (c) => {
    const m = f(c);
    return Array.from(m).length === 1 ? m : c;
  }).join('');
}

/** x/text cases.Title(und, NoLower): upper-case the first letter of each word, keep the rest. */
function toTitle(s: string): string {
  let out = '';
  let inWord = false;
  for (const c of s) {
    const isWordChar = /[\p{L}\p{N}\p{M}'’_]/u.test(c);
    if (isWordChar && !inWord && /\p{L}/u.test(c)) out += perRune(c, (x) => x.toUpperCase());
    else out += c;
    inWord = isWordChar;
  }
  return out;
}

function trimCutset(s: string, cutset: string): string {
  const set = new Set(Array.from(cutset));
  const chars = Array.from(s);
  let i = 0;
  let j = chars.length;
  while (i < j && set.has(chars[i] ?? '')) i++;
  while (j > i && set.has(chars[j - 1] ?? '')) j--;
  return chars.slice(i, j).join('');
}

function replaceAll(from: string, to: string, s: string): string {
  if (from === '') return s === '' ? to : to + Array.from(s).join(to) + to;
  return s.split(from).join(to);
}

function indent(spaces: GoValue, s: string): string {
  const n = typeof spaces === 'bigint' ? Number(spaces) : 0;
  if (n < 0) throw new FuncError('indent value must be a positive integer');
  const prefix = ' '.repeat(n);
  let out = '';
  let sp = true;
  for (const c of s) {
    if (sp && c !== '\n') out += prefix;
    out += c;
    sp = c === '\n';
  }
  return out;
}

const STD = /^[A-Za-z0-9+/]*$/;
const URL = /^[A-Za-z0-9\-_]*$/;

/** base64.StdEncoding/URLEncoding.DecodeString: strict padding; CR and LF are ignored. */
function base64Decode(fnName: string, s: string, url: boolean): string {
  const clean = s.replace(/[\r\n]/g, '');
  const body = clean.replace(/={1,2}$/, '');
  const alphabet = url ? URL : STD;
  let bad = -1;
  if (!alphabet.test(body)) {
    bad = Array.from(body).findIndex((c) => !alphabet.test(c));
  } else if (clean.length % 4 !== 0) {
    bad = clean.length - (clean.length % 4);
  } else if (body.length % 4 === 1) {
    bad = body.length;
  }
  if (bad >= 0) throw new FuncError(`${fnName}: illegal base64 data at input byte ${bad}`);
  return Buffer.from(body, url ? 'base64url' : 'base64').toString('utf8');
}

function base64Encode(s: string, url: boolean): string {
  const b = Buffer.from(s, 'utf8').toString('base64');
  return url ? b.replace(/\+/g, '-').replace(/\//g, '_') : b;
}

const S = T.string;
const f1 = (impl: (s: string) => GoValue): GoFunc => new GoFunc([S], undefined, S, (a) => impl(str(a[0])));

/** The string helpers, keyed by their template names. */
export function stringFunctions(): Map<string, GoFunc> {
  const boolT = T.bool;
  return new Map<string, GoFunc>([
    ['contains', new GoFunc([T.iface, T.iface], undefined, boolT, (a) => inList(a[1] ?? null, a[0] ?? null))],
    ['in', new GoFunc([T.iface, T.iface], undefined, boolT, (a) => inList(a[0] ?? null, a[1] ?? null))],
    ['containsAll', new GoFunc([T.ifaceSlice, T.iface], undefined, boolT, containsSome(true, true))],
    ['containsAny', new GoFunc([T.ifaceSlice, T.iface], undefined, boolT, containsSome(false, false))],
    ['containsNone', new GoFunc([T.ifaceSlice, T.iface], undefined, boolT, containsSome(true, false))],
    ['containsNotAll', new GoFunc([T.ifaceSlice, T.iface], undefined, boolT, containsSome(false, true))],
    [
      'split',
      new GoFunc([S, S], undefined, T.stringSlice, (a) => {
        const s = goTrimSpace(str(a[1]));
        const sep = str(a[0]);
        if (s === '') return new GoSlice([], S);
        return new GoSlice(sep === '' ? Array.from(s) : s.split(sep), S);
      }),
    ],
    [
      'splitToMap',
      new GoFunc([S, S, S], undefined, T.stringMap, (a) => {
        const s = goTrimSpace(str(a[2]));
        const m = new Map<string, GoValue>();
        if (s !== '') {
          for (const part of s.split(str(a[0]))) {
            const sep = str(a[1]);
            const at = part.indexOf(sep);
            if (at >= 0) m.set(part.slice(0, at), part.slice(at + sep.length));
          }
        }
        return new GoMap(m, S);
      }),
    ],
    [
      'join',
      new GoFunc([S, T.stringSlice], undefined, S, (a) => {
        const list = a[1] instanceof GoSlice ? a[1].items : [];
        return list.map((x) => str(x)).join(str(a[0]));
      }),
    ],
    ['replaceAll', new GoFunc([S, S, S], undefined, S, (a) => replaceAll(str(a[0]), str(a[1]), str(a[2])))],
    [
      'regexReplaceAll',
      new GoFunc([S, S, S], undefined, S, (a) => {
        const re = compileGoRegexp(str(a[0]), true);
        return str(a[2]).replace(re, (...m: unknown[]) => expandGoTemplate(str(a[1]), m));
      }),
    ],
    ['regexMatch', new GoFunc([S, S], undefined, boolT, (a) => compileGoRegexp(str(a[0]), false).test(str(a[1])))],
    ['toLower', f1((s) => perRune(s, (c) => c.toLowerCase()))],
    ['toUpper', f1((s) => perRune(s, (c) => c.toUpperCase()))],
    ['toTitle', f1(toTitle)],
    ['trim', new GoFunc([S, S], undefined, S, (a) => trimCutset(str(a[1]), str(a[0])))],
    ['trimSpace', f1(goTrimSpace)],
    [
      'trimPrefix',
      new GoFunc([S, S], undefined, S, (a) => {
        const p = str(a[0]);
        const s = str(a[1]);
        return p !== '' && s.startsWith(p) ? s.slice(p.length) : s;
      }),
    ],
    [
      'trimSuffix',
      new GoFunc([S, S], undefined, S, (a) => {
        const p = str(a[0]);
        const s = str(a[1]);
        return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
      }),
    ],
    ['indent', new GoFunc([T.int, S], undefined, S, (a) => indent(a[0] ?? 0n, str(a[1])))],
    ['sha256Hex', f1((s) => createHash('sha256').update(s, 'utf8').digest('hex'))],
    ['md5sum', f1((s) => createHash('md5').update(s, 'utf8').digest('hex'))],
    [
      'hmacSHA256Hex',
      new GoFunc([S, S], undefined, S, (a) => createHmac('sha256', Buffer.from(str(a[1]), 'utf8')).update(str(a[0]), 'utf8').digest('hex')),
    ],
    ['base64Encode', f1((s) => base64Encode(s, false))],
    ['base64Decode', f1((s) => base64Decode('base64Decode', s, false))],
    ['base64URLEncode', f1((s) => base64Encode(s, true))],
    ['base64URLDecode', f1((s) => base64Decode('base64URLDecode', s, true))],
  ]);
}
