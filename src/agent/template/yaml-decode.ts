// parseYAML's decoder: the block-style YAML that configuration and secrets use (mappings,
// sequences, quoted and plain scalars, | and > blocks, flow [ ] and { }), resolved with YAML 1.1
// rules as gopkg.in/yaml.v2 does (yes/no/on/off are booleans). Anchors, tags and multi-document
// streams are not supported.
import type { GoValue } from './go-values.js';
import { GoMap, GoSlice } from './go-values.js';
import { sprintTemplateValue } from './go-fmt.js';
import { FuncError } from './template-error.js';

interface Line {
  readonly indent: number;
  readonly text: string;
  readonly no: number;
}

/** yaml.v2 resolve for an unquoted scalar. */
export function resolvePlain(s: string): GoValue {
  if (s === '' || s === '~' || /^(?:null|Null|NULL)$/.test(s)) return null;
  if (/^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(s)) return true;
  if (/^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/.test(s)) return false;
  const plain = s.replace(/_/g, '');
  let int: bigint | undefined;
  if (/^[-+]?(?:0|[1-9]\d*)$/.test(plain)) int = BigInt(plain);
  else if (/^[-+]?0b[01]+$/.test(plain)) int = (plain.startsWith('-') ? -1n : 1n) * BigInt(plain.replace(/^[-+]/, ''));
  else if (/^[-+]?0x[0-9a-fA-F]+$/.test(plain)) int = (plain.startsWith('-') ? -1n : 1n) * BigInt(plain.replace(/^[-+]/, ''));
  else if (/^[-+]?0[0-7]+$/.test(plain)) int = (plain.startsWith('-') ? -1n : 1n) * BigInt(`0o${plain.replace(/^[-+]?0/, '')}`);
  if (int !== undefined && int >= -(1n << 63n) && int < 1n << 63n) return int;
  if (/^[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?$/.test(plain)) return Number(plain);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
  return s;
}

function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

class YamlParser {
  private i = 0;

  constructor(
    private readonly lines: readonly Line[],
    private readonly raw: readonly string[],
  ) {}

  private fail(msg: string, line?: Line): never {
    throw new FuncError(`yaml: line ${line?.no ?? this.lines[this.i]?.no ?? 0}: ${msg}`);
  }

  parseDocument(): GoValue {
    if (this.lines.length === 0) return null;
    const v = this.node(this.lines[0]?.indent ?? 0);
    if (this.i < this.lines.length) this.fail('did not find expected <document start>');
    return v;
  }

  private node(indent: number): GoValue {
    const line = this.lines[this.i];
    if (line === undefined || line.indent < indent) return null;
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(line.indent);
    if (keyOf(line.text) !== undefined) return this.mapping(line.indent);
    this.i++;
    return this.scalar(line.text, line);
  }

  private sequence(indent: number): GoSlice {
    const items: GoValue[] = [];
    for (;;) {
      const line = this.lines[this.i];
      if (line === undefined || line.indent !== indent || !(line.text === '-' || line.text.startsWith('- '))) break;
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.i++;
        items.push(this.node(indent + 1));
        continue;
      }
      // "- key: v" opens a mapping whose keys sit at the column after "- ".
      const inner: Line = { indent: indent + (line.text.length - rest.length), text: rest, no: line.no };
      (this.lines as Line[])[this.i] = inner;
      items.push(this.node(inner.indent));
    }
    return new GoSlice(items);
  }

  private mapping(indent: number): GoMap {
    const entries = new Map<string, GoValue>();
    for (;;) {
      const line = this.lines[this.i];
      if (line === undefined || line.indent !== indent) break;
      const kv = keyOf(line.text);
      if (kv === undefined) this.fail('could not find expected \':\'', line);
      this.i++;
      const [rawKey, rest] = kv;
      const key = rawKey.startsWith('"') || rawKey.startsWith("'") ? unquoteScalar(rawKey) : rawKey;
      let value: GoValue;
      if (rest === '') {
        const next = this.lines[this.i];
        if (next !== undefined && (next.indent > indent || (next.indent === indent && next.text.startsWith('- ')))) {
          value = this.node(next.indent);
        } else {
          value = null;
        }
      } else if (/^[|>][-+]?\d*$/.test(rest)) {
        value = this.blockScalar(rest, indent);
      } else {
        value = this.scalar(rest, line);
      }
      entries.set(key, value);
    }
    return new GoMap(entries, { kind: 'interface' }, true);
  }

  private blockScalar(header: string, parentIndent: number): string {
    const startNo = this.lines[this.i - 1]?.no ?? 0;
    const body: string[] = [];
    let k = startNo; // raw index of the next physical line
    let blockIndent = -1;
    while (k < this.raw.length) {
      const raw = this.raw[k] ?? '';
      const ind = raw.length - raw.trimStart().length;
      if (raw.trim() === '') {
        body.push('');
        k++;
        continue;
      }
      if (ind <= parentIndent) break;
      if (blockIndent < 0) blockIndent = ind;
      if (ind < blockIndent) break;
      body.push(raw.slice(blockIndent));
      k++;
    }
    while (this.i < this.lines.length && (this.lines[this.i]?.no ?? 0) <= k) this.i++;
    let trailing = 0;
    while (body.length > 0 && body[body.length - 1] === '') {
      body.pop();
      trailing++;
    }
    const folded = header.startsWith('>');
    let text = folded ? body.join('\n').replace(/([^\n])\n(?=[^\n ])/g, '$1 ') : body.join('\n');
    if (header.includes('+')) text += '\n'.repeat(trailing + 1);
    else if (!header.includes('-') && body.length > 0) text += '\n';
    return text;
  }

  private scalar(text: string, line: Line): GoValue {
    if (text.startsWith('[') || text.startsWith('{')) return flow(text, line.no);
    if (text.startsWith('"') || text.startsWith("'")) return unquoteScalar(text);
    if (/^[&*!]/.test(text)) this.fail('anchors, aliases and tags are not supported', line);
    return resolvePlain(text);
  }
}

/** Splits "key: value" (or "key:"); undefined when the line is not a mapping entry. */
function keyOf(text: string): [string, string] | undefined {
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^'"[\]{}#,][^#]*?)\s*:(?:\s+(.*)|$)/.exec(text);
  if (m === null) return undefined;
  return [m[1] ?? '', (m[2] ?? '').trim()];
}

function unquoteScalar(s: string): string {
  if (s.startsWith("'")) return s.slice(1, s.lastIndexOf("'")).replace(/''/g, "'");
  const end = s.lastIndexOf('"');
  try {
    const v: unknown = JSON.parse(s.slice(0, end + 1));
    return typeof v === 'string' ? v : s;
  } catch {
    return s.slice(1, end);
  }
}

/** Flow collections ([a, b], {k: v}) parsed with a tiny recursive reader. */
function flow(text: string, lineNo: number): GoValue {
  let i = 0;
  const fail = (): never => {
    throw new FuncError(`yaml: line ${lineNo}: did not find expected ',' or ']'`);
  };
  const ws = (): void => {
    while (text[i] === ' ') i++;
  };
  const item = (): GoValue => {
    ws();
    const c = text[i];
    if (c === '[') {
      i++;
      const items: GoValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return new GoSlice(items);
      }
      for (;;) {
        items.push(item());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return new GoSlice(items);
        } else fail();
      }
    }
    if (c === '{') {
      i++;
      const entries = new Map<string, GoValue>();
      ws();
      if (text[i] === '}') {
        i++;
        return new GoMap(entries, { kind: 'interface' }, true);
      }
      for (;;) {
        const k = atom(':');
        if (text[i] !== ':') fail();
        i++;
        entries.set(typeof k === 'string' ? k : sprintTemplateValue(k), item());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return new GoMap(entries, { kind: 'interface' }, true);
        } else fail();
      }
    }
    return atom('');
  };
  const atom = (extraStop: string): GoValue => {
    ws();
    if (text[i] === '"' || text[i] === "'") {
      const q = text[i];
      const start = i;
      i++;
      while (i < text.length && text[i] !== q) i += text[i] === '\\' && q === '"' ? 2 : 1;
      i++;
      return unquoteScalar(text.slice(start, i));
    }
    const start = i;
    while (i < text.length && !`,]}${extraStop}`.includes(text[i] ?? '')) i++;
    return resolvePlain(text.slice(start, i).trim());
  };
  const v = item();
  ws();
  if (i < text.length) fail();
  return v;
}

/** yaml.Unmarshal into interface{}; mappings become map[interface {}]interface {}. */
export function decodeYaml(src: string): GoValue {
  const raw = src.replace(/\r\n/g, '\n').split('\n');
  const lines: Line[] = [];
  raw.forEach((r, idx) => {
    if (/^\s*\t/.test(r)) throw new FuncError(`yaml: line ${idx + 1}: found character that cannot start any token`);
    const text = stripComment(r);
    if (text.trim() === '' || text.trim() === '---' || text.trim() === '...') return;
    lines.push({ indent: text.length - text.trimStart().length, text: text.trim(), no: idx + 1 });
  });
  return new YamlParser(lines, raw).parseDocument();
}
