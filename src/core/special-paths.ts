// Matching Vault-style special-path patterns: "login" is exact, "login/*" is a prefix match
// ("login/" and everything below, and "login" itself).

export function matchesSpecialPath(patterns: readonly string[], path: string): boolean {
  for (const p of patterns) {
    if (p.endsWith('*')) {
      const prefix = p.slice(0, -1);
      if (path.startsWith(prefix)) return true;
      if (prefix.endsWith('/') && path === prefix.slice(0, -1)) return true;
    } else if (p === path) return true;
  }
  return false;
}
