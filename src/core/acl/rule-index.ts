// Finds the highest-priority rule for a path without scanning all rules: literal paths sit in a
// Map; wildcard patterns sit in a segment trie walked once per lookup (literal and `+` edges).

import { comparePriority, isLiteral, type PathPattern } from './path-pattern.js';

export interface IndexedRule {
  readonly pattern: PathPattern;
}

interface TrieNode<R> {
  children: Map<string, TrieNode<R>> | undefined;
  plus: TrieNode<R> | undefined;
  /** Non-glob pattern (with `+` segments) ending exactly here. */
  terminal: R | undefined;
  /** Glob patterns whose last, partial segment is the key (a prefix of the path's next segment). */
  globs: Map<string, R> | undefined;
  /** Distinct key lengths of `globs`, ascending, so lookups try each length once. */
  globLengths: number[];
  /** Glob pattern whose last segment is `+` (any next segment, then anything). */
  plusGlob: R | undefined;
}

const newNode = <R>(): TrieNode<R> => ({
  children: undefined,
  plus: undefined,
  terminal: undefined,
  globs: undefined,
  globLengths: [],
  plusGlob: undefined,
});

export interface RuleIndex<R extends IndexedRule> {
  /** The most specific rule matching `path`, or undefined. */
  find(path: string): R | undefined;
  /** The rule whose pattern is exactly the literal `path`. */
  findLiteral(path: string): R | undefined;
  /** The most specific wildcard (`*` or `+`) rule matching `path`. */
  findWildcard(path: string): R | undefined;
}

/** Builds an index over rules with distinct pattern texts. */
export function buildRuleIndex<R extends IndexedRule>(rules: Iterable<R>): RuleIndex<R> {
  const literal = new Map<string, R>();
  const root = newNode<R>();
  let wildcardCount = 0;
  for (const r of rules) {
    const p = r.pattern;
    if (isLiteral(p)) {
      literal.set(p.text, r);
      continue;
    }
    wildcardCount++;
    let node = root;
    const last = p.segments.length - 1;
    const through = p.glob ? last : last + 1;
    for (let i = 0; i < through; i++) node = descend(node, p.segments[i] ?? '');
    if (!p.glob) {
      node.terminal = r;
    } else {
      const partial = p.segments[last] ?? '';
      if (partial === '+') {
        node.plusGlob = r;
      } else {
        (node.globs ??= new Map<string, R>()).set(partial, r);
        if (!node.globLengths.includes(partial.length)) {
          node.globLengths.push(partial.length);
          node.globLengths.sort((a, b) => a - b);
        }
      }
    }
  }

  const better = (best: R | undefined, cand: R | undefined): R | undefined =>
    cand === undefined ? best : best === undefined || comparePriority(cand.pattern, best.pattern) > 0 ? cand : best;

  const walk = (node: TrieNode<R>, parts: readonly string[], i: number, best: R | undefined): R | undefined => {
    if (i === parts.length) return better(best, node.terminal);
    const seg = parts[i] ?? '';
    if (node.globs !== undefined) {
      for (const len of node.globLengths) {
        if (len > seg.length) break;
        best = better(best, node.globs.get(len === seg.length ? seg : seg.slice(0, len)));
      }
    }
    best = better(best, node.plusGlob);
    const child = node.children?.get(seg);
    if (child !== undefined) best = walk(child, parts, i + 1, best);
    if (node.plus !== undefined) best = walk(node.plus, parts, i + 1, best);
    return best;
  };

  const findWildcard = (path: string): R | undefined =>
    wildcardCount === 0 ? undefined : walk(root, path.split('/'), 0, undefined);
  return {
    find: (path) => literal.get(path) ?? findWildcard(path),
    findLiteral: (path) => literal.get(path),
    findWildcard,
  };
}

function descend<R>(node: TrieNode<R>, seg: string): TrieNode<R> {
  if (seg === '+') return (node.plus ??= newNode());
  const children = (node.children ??= new Map<string, TrieNode<R>>());
  let child = children.get(seg);
  if (child === undefined) {
    child = newNode();
    children.set(seg, child);
  }
  return child;
}
