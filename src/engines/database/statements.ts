// SQL statement handling shared by the drivers: splitting a `;`-separated entry into single
// statements (quotes, dollar quotes and comments respected) and substituting Vault's
// `{{name}}`/`{{username}}`/`{{password}}`/`{{expiration}}` placeholders.

/** Values substituted into statements; absent values leave their placeholder untouched. */
export interface StatementVars {
  name?: string;
  password?: string;
  /** Already formatted (see formatExpiration). */
  expiration?: string;
}

/**
 * Splits statement entries into single statements. Each entry may hold several statements
 * separated by `;`; a `;` inside '...', "...", `...`, $tag$...$tag$ or a comment does not split.
 * Empty statements are dropped.
 */
export function splitStatements(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of entries) out.push(...splitOne(entry));
  return out;
}

function splitOne(sql: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  const push = (end: number): void => {
    const s = sql.slice(start, end).trim();
    if (s !== '') parts.push(s);
  };
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (m) {
        const tag = m[0];
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? n : end + tag.length;
      } else {
        i++;
      }
    } else if (c === ';') {
      push(i);
      i++;
      start = i;
    } else {
      i++;
    }
  }
  push(n);
  return parts;
}

/** Index just past the closing quote (a doubled quote or a backslash escape stays inside). */
function skipQuoted(sql: string, open: number, q: string): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\' && q !== '`') {
      i += 2;
      continue;
    }
    if (c === q) {
      if (sql[i + 1] === q) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/**
 * Substitutes placeholders (`{{name}}` and its alias `{{username}}`, `{{password}}`,
 * `{{expiration}}`, spaces inside the braces allowed). Unknown placeholders stay as written.
 */
export function renderStatement(template: string, vars: StatementVars): string {
  return template.replace(/\{\{\s*(name|username|password|expiration)\s*\}\}/g, (whole, key: string) => {
    const v = key === 'username' ? vars.name : vars[key as keyof StatementVars];
    return v ?? whole;
  });
}

/** Splits and renders statement entries in one go. */
export function prepareStatements(entries: readonly string[], vars: StatementVars): string[] {
  return splitStatements(entries).map((s) => renderStatement(s, vars));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The `{{expiration}}` format Vault uses for SQL databases: '2026-01-01 00:00:00+0000' (UTC). */
export function formatExpiration(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+0000`;
}

/** A PostgreSQL identifier in double quotes. */
export const quotePgIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
/** A PostgreSQL string literal. */
export const quotePgLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** A MySQL/MariaDB string literal (backslashes escaped too, as the default sql_mode needs). */
export const quoteMySqlLiteral = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
