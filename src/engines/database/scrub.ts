// Removes secrets (root password, generated passwords, credentials inside connection URLs) from
// database error messages before they reach a client or a log.

const MASK = '*****';

/** A message with every occurrence of each secret (raw and URL-encoded) replaced by `*****`. */
export function scrubSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s === undefined || s.length < 3) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
  }
  // Longest first so that a secret containing another is masked whole.
  for (const f of [...forms].sort((a, b) => b.length - a.length)) out = out.split(f).join(MASK);
  // Credentials embedded in URLs, whatever they are.
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, `$1${MASK}@`);
}

/** The text of anything thrown, scrubbed. */
export function errorText(e: unknown, secrets: readonly (string | undefined)[]): string {
  const raw = e instanceof Error ? e.message : String(e);
  return scrubSecrets(raw === '' ? 'unknown database error' : raw, secrets);
}
