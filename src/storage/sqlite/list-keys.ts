// Listing one folder level from the key index without walking sub-trees: after meeting a
// sub-folder, seek straight past it instead of reading the keys inside.

import type { Statement } from 'better-sqlite3';
import { listEntry } from '../keys.js';

/** The statements list needs: keys >= a bound, and keys within [from, to), both in key order. */
export interface ListStatements {
  /** SELECT key … WHERE key >= ? ORDER BY key, plucked. */
  keysFrom: Statement<[string], string>;
  /** SELECT key … WHERE key >= ? AND key < ? ORDER BY key, plucked. */
  keysBetween: Statement<[string, string], string>;
}

/**
 * The first key greater than every key inside `folder` (which ends in '/'): '/' is U+002F and
 * '0' is U+0030, so "a/b0" bounds "a/b/…" exactly in byte order.
 */
export function pastFolder(folder: string): string {
  return folder.slice(0, -1) + '0';
}

/**
 * Direct children of `prefix` in key order (already sorted and deduplicated). Costs one index
 * seek per sub-folder plus one row per leaf, however deep the sub-folders are.
 */
export function listStored(stmts: ListStatements, prefix: string): string[] {
  const out: string[] = [];
  let from = prefix;
  for (;;) {
    let seekTo: string | undefined;
    for (const key of stmts.keysFrom.iterate(from)) {
      if (!key.startsWith(prefix)) break;
      const entry = listEntry(prefix, key);
      out.push(entry);
      if (entry.endsWith('/')) {
        seekTo = pastFolder(prefix + entry);
        break; // leaving the loop resets the statement, so the next seek can reuse it
      }
    }
    if (seekTo === undefined) return out;
    from = seekTo;
  }
}

/** Whether any stored key lies inside `folder` (ending in '/') other than those `skip` says to ignore. */
export function folderHasKey(stmts: ListStatements, folder: string, skip: (key: string) => boolean): boolean {
  for (const key of stmts.keysBetween.iterate(folder, pastFolder(folder))) {
    if (!skip(key)) return true;
  }
  return false;
}
