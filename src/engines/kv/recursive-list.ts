// Recursive, paginated listing of KV v2 secrets (a Coffer extension; Vault CE lists one level).
// A depth-first walk over children in sorted order yields full paths in sorted order, because a
// folder name "a/" sorts exactly where every "a/…" descendant sorts among its siblings; so the
// walk can skip whole folders that lie before `after` and stop once a page is full.

export interface RecursiveListOptions {
  /** Return only keys sorting strictly after this one ("" = from the start). */
  after: string;
  /** Page size (≥ 1). */
  limit: number;
  /** Optional glob matched against the full relative key ('*' any run, '?' one character). */
  filter?: RegExp;
}

export interface RecursiveListPage {
  keys: string[];
  /** The last key returned when more keys follow, else "". */
  nextAfter: string;
}

/** Compiles a glob: '*' matches any run of characters (including '/'), '?' exactly one. */
export function compileGlob(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/**
 * Lists every leaf under `base` (a prefix "" or ending in '/'), relative to `base`, one page at a
 * time. `list` returns direct children, folders ending in '/'.
 */
export async function listRecursive(list: (prefix: string) => Promise<string[]>, base: string, opts: RecursiveListOptions): Promise<RecursiveListPage> {
  const keys: string[] = [];
  let more = false;
  const { after, limit, filter } = opts;
  // Returns false once the page is full and one more key has been seen.
  const walk = async (rel: string): Promise<boolean> => {
    const children = (await list(base + rel)).sort();
    for (const child of children) {
      const full = rel + child;
      if (child.endsWith('/')) {
        // Every descendant starts with `full`; if `after` sorts past all of them, skip the folder.
        if (after !== '' && after > full && !after.startsWith(full)) continue;
        if (!(await walk(full))) return false;
        continue;
      }
      if (after !== '' && full <= after) continue;
      if (filter && !filter.test(full)) continue;
      if (keys.length === limit) {
        more = true;
        return false;
      }
      keys.push(full);
    }
    return true;
  };
  await walk('');
  return { keys, nextAfter: more ? (keys[keys.length - 1] ?? '') : '' };
}
