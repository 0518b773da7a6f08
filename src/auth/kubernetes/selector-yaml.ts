// A small YAML reader for label selectors written as YAML rather than JSON: block mappings and
// sequences (including "- key: value" items), flow lists `[a, b]` and flow maps `{k: v}` of plain
// or quoted scalars, and comments. Anchors, multi-line scalars and documents are not supported.
// Scalars stay strings (label values are strings).

interface Line {
  indent: number;
  text: string;
}

class YamlSubsetError extends Error {}

function stripComment(text: string): string {
  // A '#' starts a comment at line start or after whitespace, outside quotes.
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

/** Splits flow-collection content on commas outside quotes and nested brackets. */
function splitFlow(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  if (quote !== undefined || depth !== 0) throw new YamlSubsetError('unbalanced flow collection');
  parts.push(inner.slice(start));
  return parts;
}

function scalar(raw: string): unknown {
  const s = raw.trim();
  if (s.startsWith('"')) {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      throw new YamlSubsetError('bad double-quoted string');
    }
  }
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) throw new YamlSubsetError('bad single-quoted string');
    return s.slice(1, -1).replace(/''/g, "'");
  }
  if (s.startsWith('[')) {
    if (!s.endsWith(']')) throw new YamlSubsetError('unterminated flow list');
    const inner = s.slice(1, -1).trim();
    return inner === '' ? [] : splitFlow(inner).map((x) => scalar(x));
  }
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) throw new YamlSubsetError('unterminated flow map');
    const inner = s.slice(1, -1).trim();
    const out: Record<string, unknown> = {};
    if (inner === '') return out;
    for (const pair of splitFlow(inner)) {
      const colon = pair.indexOf(':');
      if (colon === -1) throw new YamlSubsetError('flow map entry without ":"');
      out[String(scalar(pair.slice(0, colon)))] = scalar(pair.slice(colon + 1));
    }
    return out;
  }
  if (s === '~' || s === 'null') return null;
  return s;
}

/** Splits "key: value" (or "key:"); undefined when the text is not a mapping entry. */
function mappingEntry(text: string): { key: string; rest: string } | undefined {
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"[\]{}#][^:]*?)\s*:(?:\s+(.*)|$)/.exec(text);
  if (m === null) return undefined;
  return { key: String(scalar(m[1] ?? '')), rest: (m[2] ?? '').trim() };
}

function parseBlock(lines: Line[], at: { i: number }, indent: number): unknown {
  const first = lines[at.i];
  if (first === undefined) return null;
  if (first.text === '-' || first.text.startsWith('- ')) return parseSequence(lines, at, indent);
  return parseMapping(lines, at, indent);
}

function parseSequence(lines: Line[], at: { i: number }, indent: number): unknown[] {
  const out: unknown[] = [];
  for (let line = lines[at.i]; line !== undefined && line.indent === indent && (line.text === '-' || line.text.startsWith('- ')); line = lines[at.i]) {
    const item = line.text.slice(1).trimStart();
    if (item === '') {
      at.i++;
      const next = lines[at.i];
      out.push(next !== undefined && next.indent > indent ? parseBlock(lines, at, next.indent) : null);
    } else if (mappingEntry(item) !== undefined) {
      // "- key: value": the item is a mapping whose first entry sits after the dash.
      const itemIndent = indent + (line.text.length - item.length);
      lines[at.i] = { indent: itemIndent, text: item };
      out.push(parseMapping(lines, at, itemIndent));
    } else {
      at.i++;
      out.push(scalar(item));
    }
  }
  return out;
}

function parseMapping(lines: Line[], at: { i: number }, indent: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let line = lines[at.i]; line !== undefined && line.indent === indent; line = lines[at.i]) {
    const entry = mappingEntry(line.text);
    if (entry === undefined) throw new YamlSubsetError(`expected "key: value", got ${JSON.stringify(line.text)}`);
    at.i++;
    if (entry.rest !== '') {
      out[entry.key] = scalar(entry.rest);
      continue;
    }
    const next = lines[at.i];
    if (next !== undefined && next.indent > indent) out[entry.key] = parseBlock(lines, at, next.indent);
    else if (next !== undefined && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) out[entry.key] = parseSequence(lines, at, indent);
    else out[entry.key] = null;
  }
  const stray = lines[at.i];
  if (stray !== undefined && stray.indent > indent) throw new YamlSubsetError('bad indentation');
  return out;
}

/** Parses `text` as the YAML subset; undefined when it is not valid in that subset. */
export function parseYamlSubset(text: string): unknown {
  const lines: Line[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.includes('\t')) return undefined;
    const body = stripComment(raw);
    if (body.trim() === '' || body.trim() === '---') continue;
    const indent = body.length - body.trimStart().length;
    lines.push({ indent, text: body.trim() });
  }
  if (lines.length === 0) return undefined;
  try {
    const first = lines[0];
    if (first === undefined) return undefined;
    // A single flow collection or scalar.
    if (lines.length === 1 && mappingEntry(first.text) === undefined && !first.text.startsWith('-')) return scalar(first.text);
    const at = { i: 0 };
    const value = parseBlock(lines, at, first.indent);
    return at.i === lines.length ? value : undefined;
  } catch (e: unknown) {
    if (e instanceof YamlSubsetError) return undefined;
    throw e;
  }
}
