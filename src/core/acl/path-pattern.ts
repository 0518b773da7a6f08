// Policy path patterns: exact, trailing-glob (`*`) and segment-wildcard (`+`) forms, and Vault's
// priority order for choosing the single most specific pattern among several that match.

export interface PathPattern {
  /** The pattern as written (leading `/` already removed). */
  readonly text: string;
  /** Ends in `*`: the last segment of `stem` is a prefix and anything may follow. */
  readonly glob: boolean;
  /** `text` without the trailing `*`. */
  readonly stem: string;
  /** `stem` split on `/`; a segment that is exactly `+` matches any one segment. */
  readonly segments: readonly string[];
  readonly plusCount: number;
  /** Character index of the first `+` segment or of the glob; Infinity for a literal path. */
  readonly firstWildcard: number;
}

export function compilePattern(text: string): PathPattern {
  const glob = text.endsWith('*');
  const stem = glob ? text.slice(0, -1) : text;
  const segments = stem.split('/');
  let plusCount = 0;
  let firstWildcard = Infinity;
  let offset = 0;
  for (const s of segments) {
    if (s === '+') {
      plusCount++;
      if (firstWildcard === Infinity) firstWildcard = offset;
    }
    offset += s.length + 1;
  }
  if (glob && firstWildcard === Infinity) firstWildcard = stem.length;
  return { text, glob, stem, segments, plusCount, firstWildcard };
}

/** A literal pattern matches one path exactly; it beats every wildcard pattern. */
export function isLiteral(p: PathPattern): boolean {
  return !p.glob && p.plusCount === 0;
}

/**
 * Vault's priority order. Positive when `a` outranks `b`:
 * 1. the later first wildcard (`+` or `*`) wins; 2. not ending in `*` beats ending in `*`;
 * 3. fewer `+` segments win; 4. the longer pattern wins; 5. the lexicographically larger wins.
 */
export function comparePriority(a: PathPattern, b: PathPattern): number {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard > b.firstWildcard ? 1 : -1;
  if (a.glob !== b.glob) return a.glob ? -1 : 1;
  if (a.plusCount !== b.plusCount) return a.plusCount < b.plusCount ? 1 : -1;
  if (a.text.length !== b.text.length) return a.text.length > b.text.length ? 1 : -1;
  return a.text === b.text ? 0 : a.text > b.text ? 1 : -1;
}

/** Direct (unindexed) match of one pattern against a request path; the index must agree with it. */
export function patternMatches(p: PathPattern, path: string): boolean {
  if (isLiteral(p)) return p.text === path;
  const parts = path.split('/');
  const n = p.segments.length;
  if (p.glob ? parts.length < n : parts.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const seg = p.segments[i] ?? '';
    const part = parts[i] ?? '';
    if (seg === '+') continue;
    if (p.glob && i === n - 1) {
      if (!part.startsWith(seg)) return false;
    } else if (part !== seg) {
      return false;
    }
  }
  return true;
}
