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

/** Whether every entry of `subset` is in `superset`. */
export function isSubset(superset: readonly string[], subset: readonly string[]): boolean {
  const s = new Set(superset);
  return subset.every((p) => s.has(p));
}

/** Go's %q rendering of a string list, as Vault's error messages show them. */
export function quoteList(list: readonly string[]): string {
  return `[${list.map((p) => JSON.stringify(p)).join(' ')}]`;
}
