// Glob matching where `*` matches any run of characters (including none) and every other
// character matches itself: Vault's bound service account names and namespaces, jwt glob
// bound_claims, token role allowed policies and entity aliases, database allowed_roles.

/** True when `value` matches `pattern`, where only `*` is special. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  // Greedy left-to-right placement of the middle pieces is enough: each piece is a literal.
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const piece = parts[i] ?? '';
    const found = value.indexOf(piece, at);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** True when any pattern of `patterns` matches `value`. */
export function anyGlobMatches(patterns: readonly string[], value: string): boolean {
  return patterns.some((p) => globMatch(p, value));
}
