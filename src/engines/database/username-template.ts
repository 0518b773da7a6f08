// Username templates: the subset of Go's text/template that Vault's `username_template` uses —
// `.DisplayName`/`.RoleName`, pipes, parentheses and the functions printf, truncate,
// truncate_sha256, uppercase, lowercase, replace, sha256, base64, random, unix_time,
// unix_time_millis, timestamp and uuid.

import { createHash, randomInt, randomUUID } from 'node:crypto';
import { CofferError } from '../../shared/index.js';

export interface UsernameInputs {
  displayName: string;
  roleName: string;
  /** ms since the epoch */
  now: number;
}

type Value = string | number;
type Token = { t: '(' | ')' | '|' } | { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'field'; v: string } | { t: 'ident'; v: string };
type Node = { k: 'lit'; v: Value } | { k: 'field'; v: string } | { k: 'call'; name: string; args: Node[] } | { k: 'pipe'; cmds: Node[][] };

const bad = (msg: string): CofferError => new CofferError('invalid_request', `invalid username template: ${msg}`);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === '|') {
      out.push({ t: c });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') {
          const e = src[j + 1] ?? '';
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else {
          s += src[j];
          j++;
        }
      }
      if (j >= src.length) throw bad('unterminated string');
      out.push({ t: 'str', v: s });
      i = j + 1;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw bad('unterminated raw string');
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
    } else {
      const m = /^(-?\d+|\.[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i));
      if (!m) throw bad(`unexpected ${JSON.stringify(c)}`);
      const w = m[0];
      if (/^-?\d/.test(w)) out.push({ t: 'num', v: Number(w) });
      else if (w.startsWith('.')) out.push({ t: 'field', v: w.slice(1) });
      else out.push({ t: 'ident', v: w });
      i += w.length;
    }
  }
  return out;
}

function parsePipeline(tokens: Token[], pos: { i: number }): Node {
  const cmds: Node[][] = [[]];
  for (;;) {
    const tok = tokens[pos.i];
    if (tok === undefined || tok.t === ')') break;
    pos.i++;
    const cur = cmds[cmds.length - 1] ?? [];
    switch (tok.t) {
      case '|':
        if (cur.length === 0) throw bad('empty command before |');
        cmds.push([]);
        break;
      case '(': {
        cur.push(parsePipeline(tokens, pos));
        if (tokens[pos.i]?.t !== ')') throw bad('missing )');
        pos.i++;
        break;
      }
      case 'str':
      case 'num':
        cur.push({ k: 'lit', v: tok.v });
        break;
      case 'field':
        cur.push({ k: 'field', v: tok.v });
        break;
      case 'ident':
        cur.push({ k: 'call', name: tok.v, args: [] });
        break;
    }
  }
  if ((cmds[cmds.length - 1] ?? []).length === 0) throw bad('empty command');
  return { k: 'pipe', cmds };
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const asNum = (v: Value | undefined, fn: string): number => {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 0) throw bad(`${fn} expects a non-negative integer`);
  return n;
};
const asStr = (v: Value | undefined): string => (v === undefined ? '' : String(v));

function printf(fmt: string, args: Value[]): string {
  let k = 0;
  return fmt.replace(/%([svdq%])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    const a = args[k++];
    if (verb === 'q') return JSON.stringify(asStr(a));
    return asStr(a);
  });
}

/** Go reference-time layout (2006-01-02 15:04:05) → formatted UTC time; common tokens only. */
function goTimestamp(layout: string, ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const map: Record<string, string> = {
    '2006': String(d.getUTCFullYear()),
    '01': p(d.getUTCMonth() + 1),
    '02': p(d.getUTCDate()),
    '15': p(d.getUTCHours()),
    '04': p(d.getUTCMinutes()),
    '05': p(d.getUTCSeconds()),
    '.000': '.' + p(d.getUTCMilliseconds(), 3),
    'Z07:00': 'Z',
    MST: 'UTC',
  };
  return layout.replace(/2006|\.000|Z07:00|MST|01|02|15|04|05/g, (t) => map[t] ?? t);
}

function call(name: string, args: Value[], inputs: UsernameInputs): Value {
  switch (name) {
    case 'printf':
      return printf(asStr(args[0]), args.slice(1));
    case 'truncate': {
      const n = asNum(args[0], name);
      return asStr(args[1]).slice(0, n);
    }
    case 'truncate_sha256': {
      const n = asNum(args[0], name);
      const s = asStr(args[1]);
      if (s.length <= n) return s;
      if (n <= 8) return s.slice(0, n);
      return s.slice(0, n - 8) + createHash('sha256').update(s.slice(n - 8)).digest('hex').slice(0, 8);
    }
    case 'uppercase':
      return asStr(args[0]).toUpperCase();
    case 'lowercase':
      return asStr(args[0]).toLowerCase();
    case 'replace':
      return asStr(args[2]).split(asStr(args[0])).join(asStr(args[1]));
    case 'sha256':
      return createHash('sha256').update(asStr(args[0])).digest('hex');
    case 'base64':
      return Buffer.from(asStr(args[0])).toString('base64');
    case 'random': {
      const n = asNum(args[0], name);
      let s = '';
      for (let i = 0; i < n; i++) s += ALNUM[randomInt(ALNUM.length)];
      return s;
    }
    case 'unix_time':
      return Math.floor(inputs.now / 1000);
    case 'unix_time_millis':
      return inputs.now;
    case 'timestamp':
      return goTimestamp(asStr(args[0]), inputs.now);
    case 'uuid':
      return randomUUID();
    default:
      throw bad(`function ${JSON.stringify(name)} not defined`);
  }
}

function evalNode(node: Node, inputs: UsernameInputs): Value {
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'field':
      if (node.v === 'DisplayName') return inputs.displayName;
      if (node.v === 'RoleName') return inputs.roleName;
      throw bad(`unknown field .${node.v}`);
    case 'call':
      return call(node.name, [], inputs);
    case 'pipe': {
      let piped: Value | undefined;
      for (const cmd of node.cmds) {
        const [head, ...rest] = cmd;
        if (head === undefined) throw bad('empty command');
        if (head.k === 'call') {
          const args = rest.map((a) => evalNode(a, inputs));
          if (piped !== undefined) args.push(piped);
          piped = call(head.name, args, inputs);
        } else {
          if (rest.length > 0 || piped !== undefined) throw bad('can only pipe into a function');
          piped = evalNode(head, inputs);
        }
      }
      return piped ?? '';
    }
  }
}

/** Checks a template's syntax (functions and fields are checked when it runs). */
export function parseUsernameTemplate(template: string): void {
  renderParts(template, (src) => {
    const pos = { i: 0 };
    const tokens = tokenize(src);
    parsePipeline(tokens, pos);
    if (pos.i !== tokens.length) throw bad('unexpected )');
    return '';
  });
}

function renderParts(template: string, action: (src: string) => string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      out += template.slice(i);
      return out;
    }
    const close = template.indexOf('}}', open + 2);
    if (close < 0) throw bad('unclosed action');
    let text = template.slice(i, open);
    let src = template.slice(open + 2, close);
    if (src.startsWith('-') && /\s/.test(src[1] ?? '')) {
      text = text.trimEnd();
      src = src.slice(1);
    }
    let trimAfter = false;
    if (src.endsWith('-') && /\s/.test(src[src.length - 2] ?? '')) {
      trimAfter = true;
      src = src.slice(0, -1);
    }
    out += text + action(src);
    i = close + 2;
    if (trimAfter) while (i < template.length && /\s/.test(template[i] ?? '')) i++;
  }
}

/** Renders a username; throws invalid_request for a malformed template or unknown function. */
export function renderUsername(template: string, inputs: UsernameInputs): string {
  return renderParts(template, (src) => {
    const tokens = tokenize(src);
    const pos = { i: 0 };
    const node = parsePipeline(tokens, pos);
    if (pos.i !== tokens.length) throw bad('unexpected )');
    return asStr(evalNode(node, inputs));
  });
}

/** Vault's default for PostgreSQL: v-<display 8>-<role 8>-<random 20>-<unix time>, at most 63. */
export const POSTGRES_USERNAME_TEMPLATE =
  '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) (random 20) (unix_time) | truncate 63 }}';
/** Vault's default for MySQL/MariaDB: the same shape with 10-character parts, at most 32. */
export const MYSQL_USERNAME_TEMPLATE =
  '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 10) (.RoleName | truncate 10) (random 20) (unix_time) | truncate 32 }}';
/** Vault's mysql-legacy/rds/aurora default: at most 16 characters. */
export const MYSQL_LEGACY_USERNAME_TEMPLATE = '{{ printf "v-%s-%s" (.RoleName | truncate 4) (random 20) | truncate 16 }}';
