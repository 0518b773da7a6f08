// Policy-list rules shared by token creation and roles: sanitising (trim, dedupe, sort, root
// alone), Vault-style '*' globs, and the subset test.

/**
 * Trims, drops empties, dedupes and sorts; adds "default" when asked. A list holding "root"
 * collapses to ["root"]: root already grants everything.
 */
export function sanitizePolicies(policies: readonly string[], addDefault: boolean): string[] {
  const set = new Set<string>();
  for (const p of policies) {
    const t = p.trim();
    if (t !== '') set.add(t);
  }
  if (set.has('root')) return ['root'];
  if (addDefault) set.add('default');
  return [...set].sort();
}

/** Glob with '*' matching any run of characters (anywhere in the pattern). */
export function globMatch(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!value.startsWith(first) || value.length < first.length + last.length || !value.endsWith(last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (const mid of parts.slice(1, -1)) {
    const at = value.indexOf(mid, pos);
    if (at < 0 || at + mid.length > end) return false;
    pos = at + mid.length;
  }
  return true;
}

export const matchesAnyGlob = (patterns: readonly string[], value: string): boolean => patterns.some((p) => globMatch(p, value));

/** Whether every entry of `subset` is in `superset`. */
export function isSubset(superset: readonly string[], subset: readonly string[]): boolean {
  const s = new Set(superset);
  return subset.every((p) => s.has(p));
}

/** Go's %q rendering of a string list, as Vault's error messages show them. */
export function quoteList(list: readonly string[]): string {
  return `[${list.map((p) => JSON.stringify(p)).join(' ')}]`;
}
