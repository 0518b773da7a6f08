// Canonical HCL text for a policy file (`coffer policy fmt`): two-space indents, `=` aligned in
// runs of one-line attributes, one-line lists, a blank line between stanzas, comments kept.

import { parseHcl } from '../../shared/index.js';
import type { HclAttribute, HclBody, HclPos, HclValue } from '../../shared/index.js';
import { before, posKey, scanHclLayout } from './hcl-layout.js';
import type { HclComment, HclLayout } from './hcl-layout.js';

type Context = 'top' | 'block' | 'object';

interface Item {
  readonly pos: HclPos;
  readonly attr?: HclAttribute;
  readonly block?: { type: string; labels: readonly string[]; body: Body };
  /** The attribute's value when it is an object: its body, to which comments inside belong. */
  readonly objectBody?: Body;
  readonly endLine: number;
  readonly lead: HclComment[];
  readonly trailing: HclComment[];
}

interface Body {
  /** The `{`, and its `}` (absent for the document itself). */
  readonly open?: HclPos;
  readonly close?: HclPos;
  readonly items: Item[];
  readonly tail: HclComment[];
}

/**
 * Parses `text` (HCL or JSON) and returns it formatted, ending in one newline. Throws the parser's
 * HclSyntaxError for invalid input. Formatting is idempotent and keeps the parsed meaning.
 */
export function formatHcl(text: string, fileName = '<input>'): string {
  const doc = parseHcl(text, fileName);
  const layout = scanHclLayout(text);
  const bodies: Body[] = [];
  const root = buildBody(doc, layout, bodies, true);
  assignComments(layout.comments, root, bodies);
  const out = renderBody(root, 'top', 0).join('\n').replace(/\n+$/, '');
  return out === '' ? '' : out + '\n';
}

function valueEndLine(v: HclValue, layout: HclLayout): number {
  if (v.kind === 'list' || v.kind === 'object') return layout.closeOf.get(posKey(v.pos))?.line ?? v.pos.line;
  if (v.kind === 'string' && v.heredoc) return layout.heredocEnd.get(posKey(v.pos)) ?? v.pos.line;
  return v.pos.line;
}

function newBody(open: HclPos | undefined, layout: HclLayout, bodies: Body[]): Body {
  const close = open === undefined ? undefined : layout.closeOf.get(posKey(open));
  const body: Body = { items: [], tail: [], ...(open !== undefined ? { open } : {}), ...(close !== undefined ? { close } : {}) };
  bodies.push(body);
  return body;
}

// Every object entry is itself an object: `path = { "a" = {...} }` is the JSON spelling of
// `path "a" {...}` stanzas, which is how the top level is printed.
function stanzaObject(a: HclAttribute): readonly HclAttribute[] | undefined {
  if (a.value.kind !== 'object') return undefined;
  const { attributes, blocks } = a.value.body;
  if (blocks.length > 0 || attributes.length === 0 || !attributes.every((e) => e.value.kind === 'object')) return undefined;
  return attributes;
}

function buildBody(src: HclBody, layout: HclLayout, bodies: Body[], top: boolean): Body {
  const body = newBody(top ? undefined : src.pos, layout, bodies);
  const blockItem = (type: string, labels: readonly string[], pos: HclPos, inner: HclBody): Item => {
    const b = buildBody(inner, layout, bodies, false);
    return { pos, block: { type, labels, body: b }, endLine: b.close?.line ?? pos.line, lead: [], trailing: [] };
  };
  for (const a of src.attributes) {
    const stanzas = top ? stanzaObject(a) : undefined;
    if (stanzas !== undefined) {
      // The outer object is not a body of its own here: comments in it go to the top level.
      for (const s of stanzas) if (s.value.kind === 'object') body.items.push(blockItem(a.key, [s.key], s.pos, s.value.body));
      continue;
    }
    const objectBody = a.value.kind === 'object' ? buildBody(a.value.body, layout, bodies, false) : undefined;
    body.items.push({
      pos: a.pos,
      attr: a,
      ...(objectBody !== undefined ? { objectBody } : {}),
      endLine: valueEndLine(a.value, layout),
      lead: [],
      trailing: [],
    });
  }
  for (const b of src.blocks) body.items.push(blockItem(b.type, b.labels, b.pos, b.body));
  body.items.sort((x, y) => (before(x.pos, y.pos) ? -1 : before(y.pos, x.pos) ? 1 : 0));
  return body;
}

function contains(b: Body, p: HclPos): boolean {
  if (b.open === undefined) return true;
  return before(b.open, p) && (b.close === undefined || before(p, b.close));
}

function assignComments(comments: readonly HclComment[], root: Body, bodies: readonly Body[]): void {
  for (const c of comments) {
    // The innermost body holding the comment: the one opened last before it.
    let home = root;
    for (const b of bodies) {
      if (b.open !== undefined && contains(b, c.start) && (home.open === undefined || before(home.open, b.open))) home = b;
    }
    const items = home.items;
    if (c.inline) {
      const prev = [...items].reverse().find((it) => before(it.pos, c.start));
      if (prev !== undefined) {
        prev.trailing.push(c);
        continue;
      }
    }
    const next = items.find((it) => before(c.start, it.pos));
    if (next !== undefined) next.lead.push(c);
    else home.tail.push(c);
  }
  for (const b of bodies) {
    for (const it of b.items) {
      // `EOT # note` would no longer end a heredoc: such notes move above the attribute.
      if (it.attr?.value.kind === 'string' && it.attr.value.heredoc && it.trailing.length > 0) {
        it.lead.push(...it.trailing.splice(0));
      }
    }
  }
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function keyText(key: string, ctx: Context): string {
  return ctx !== 'object' && BARE_KEY.test(key) ? key : quote(key);
}

/** A quoted HCL string. `${...}` and `%{...}` sequences are copied as they are: the parser kept them verbatim. */
function quote(s: string): string {
  let out = '';
  let plain = '';
  for (let i = 0; i < s.length; ) {
    const end = (s[i] === '$' || s[i] === '%') && s[i + 1] === '{' ? templateEnd(s, i) : -1;
    if (end < 0) {
      plain += s[i] ?? '';
      i++;
      continue;
    }
    out += JSON.stringify(plain).slice(1, -1) + s.slice(i, end);
    plain = '';
    i = end;
  }
  return `"${out}${JSON.stringify(plain).slice(1, -1)}"`;
}

// Where a template sequence starting at `i` ends (after its `}`), as the lexer reads it; -1 if it
// does not close on its line (then it was not one).
function templateEnd(s: string, i: number): number {
  let j = i + 2;
  let depth = 1;
  while (depth > 0) {
    const c = s[j];
    if (c === undefined || c === '\n') return -1;
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '\\') j++;
    else if (c === '"') {
      j++;
      while (j < s.length && s[j] !== '"' && s[j] !== '\n') j += s[j] === '\\' ? 2 : 1;
    }
    j++;
  }
  return j;
}

function commentLines(c: HclComment, pad: string): string[] {
  return c.text.split('\n').map((l, k) => (k === 0 ? pad + l : l.replace(/\r$/, '')));
}

/** Lines of a body's contents, each already indented by `level`. */
function renderBody(body: Body, ctx: Context, level: number): string[] {
  const pad = '  '.repeat(level);
  const out: string[] = [];
  let prevEnd = 0;
  let prevItem: Item | undefined;
  interface Run {
    rows: { line: number; keyLen: number }[];
    width: number;
  }
  let run: Run | undefined;
  const runs: Run[] = [];

  const gap = (startLine: number): boolean => prevEnd > 0 && startLine > prevEnd + 1;
  // The first comment's separation from what precedes it is the caller's business.
  const emitComments = (list: readonly HclComment[], firstGapDecided: boolean): void => {
    list.forEach((c, k) => {
      if ((k > 0 || !firstGapDecided) && gap(c.start.line) && out.length > 0) out.push('');
      out.push(...commentLines(c, pad));
      prevEnd = c.endLine;
    });
  };

  for (const it of body.items) {
    const groupStart = it.lead[0]?.start.line ?? it.pos.line;
    const forced = prevItem !== undefined && separateStanzas(prevItem, it, ctx);
    if (out.length > 0 && (forced || gap(groupStart))) {
      out.push('');
      run = undefined;
    }
    if (it.lead.length > 0) {
      run = undefined;
      emitComments(it.lead, true);
      if (gap(it.pos.line)) out.push('');
    }
    const lines = renderItem(it, ctx, level);
    const trailing = it.trailing.map((c) => c.text.split('\n').join(' ')).join(' ');
    if (trailing !== '') lines[lines.length - 1] += ' ' + trailing;
    if (it.attr !== undefined && lines.length === 1) {
      const keyLen = keyText(it.attr.key, ctx).length;
      if (run === undefined) {
        run = { rows: [], width: 0 };
        runs.push(run);
      }
      run.rows.push({ line: out.length, keyLen });
      run.width = Math.max(run.width, keyLen);
    } else run = undefined;
    out.push(...lines);
    prevEnd = Math.max(it.endLine, ...it.trailing.map((c) => c.endLine));
    prevItem = it;
  }
  emitComments(body.tail, false);

  // Align `=` within each run of one-line attributes, as hclfmt does.
  for (const r of runs) {
    for (const { line, keyLen } of r.rows) {
      const l = out[line] ?? '';
      const cut = pad.length + keyLen;
      out[line] = l.slice(0, cut) + ' '.repeat(r.width - keyLen) + l.slice(cut);
    }
  }
  return out;
}

// Stanzas (blocks, multi-line values at the top) stand apart; one-line attributes may run together.
function separateStanzas(a: Item, b: Item, ctx: Context): boolean {
  if (a.block !== undefined || b.block !== undefined) return true;
  if (ctx !== 'top') return false;
  return a.objectBody !== undefined || b.objectBody !== undefined;
}

function renderItem(it: Item, ctx: Context, level: number): string[] {
  const pad = '  '.repeat(level);
  if (it.block !== undefined) {
    const head = [it.block.type, ...it.block.labels.map(quote)].join(' ');
    const inner = renderBody(it.block.body, 'block', level + 1);
    return inner.length === 0 ? [`${pad}${head} {}`] : [`${pad}${head} {`, ...inner, `${pad}}`];
  }
  const a = it.attr;
  if (a === undefined) return [];
  const key = keyText(a.key, ctx);
  if (it.objectBody !== undefined) {
    const inner = renderBody(it.objectBody, 'object', level + 1);
    return inner.length === 0 ? [`${pad}${key} = {}`] : [`${pad}${key} = {`, ...inner, `${pad}}`];
  }
  const v = a.value;
  if (v.kind === 'string' && v.heredoc && v.value !== '') {
    const lines = v.value.replace(/\n$/, '').split('\n');
    let marker = 'EOT';
    for (let n = 1; lines.some((l) => l.trim() === marker); n++) marker = `EOT${n}`;
    return [`${pad}${key} = <<${marker}`, ...lines, marker];
  }
  const [first = '', ...rest] = renderValue(v, level);
  return [`${pad}${key} = ${first}`, ...rest];
}

/** A value's lines; the first continues the current line, the rest carry their own indent. */
function renderValue(v: HclValue, level: number): string[] {
  switch (v.kind) {
    case 'string':
      return [quote(v.value)];
    case 'number':
      return [v.raw];
    case 'bool':
      return [String(v.value)];
    case 'null':
      return ['null'];
    case 'object': {
      // Objects nested in lists: no comments are tracked there (they go to the enclosing body).
      const inner = renderBody(plainBody(v.body), 'object', level + 1);
      return inner.length === 0 ? ['{}'] : ['{', ...inner, `${'  '.repeat(level)}}`];
    }
    case 'list': {
      const parts = v.items.map((x) => renderValue(x, level + 1));
      if (parts.every((p) => p.length === 1)) return [`[${parts.map((p) => p[0] ?? '').join(', ')}]`];
      const pad = '  '.repeat(level + 1);
      const lines = ['['];
      for (const p of parts) {
        const [first = '', ...rest] = p;
        lines.push(pad + first, ...rest);
        lines[lines.length - 1] += ',';
      }
      lines.push(`${'  '.repeat(level)}]`);
      return lines;
    }
  }
}

// Bodies nested in list values are printed without the source's blank lines (their end lines
// are not tracked); an end line this large never leaves a gap.
const NO_GAPS = Number.MAX_SAFE_INTEGER;

/** A body for an object inside a list; its comments were given to the enclosing body. */
function plainBody(src: HclBody): Body {
  const items: Item[] = [
    ...src.attributes.map((a): Item => ({
      pos: a.pos,
      attr: a,
      ...(a.value.kind === 'object' ? { objectBody: plainBody(a.value.body) } : {}),
      endLine: NO_GAPS,
      lead: [],
      trailing: [],
    })),
    ...src.blocks.map((b): Item => ({ pos: b.pos, block: { type: b.type, labels: b.labels, body: plainBody(b.body) }, endLine: NO_GAPS, lead: [], trailing: [] })),
  ];
  items.sort((x, y) => (before(x.pos, y.pos) ? -1 : before(y.pos, x.pos) ? 1 : 0));
  return { items, tail: [] };
}
