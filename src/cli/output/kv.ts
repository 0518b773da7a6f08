// The sectioned output of `kv get|put|metadata get`: "== Title ==" headers padded with equal signs
// to the width of what follows, as vault prints them.

import { keyValueTable } from './columns.js';
import { goValue } from './go-value.js';

/** "=== Title ===": equal signs so the header spans `width`, at least two per side, even total. */
export function padEqualSigns(title: string, width: number): string {
  let n = width - (title.length + 2);
  if (n <= 0) n = 4;
  if (n % 2 !== 0) n += 1;
  return `${'='.repeat(n / 2)} ${title} ${'='.repeat(n / 2)}`;
}

/** The header for a Key/Value table of `data`: as wide as the longest key plus "    Value". */
export function headerForMap(title: string, data: Record<string, unknown>): string {
  const maxKey = Math.max(0, ...Object.keys(data).map((k) => k.length));
  return padEqualSigns(title, maxKey + 4 + 5);
}

/** "== Secret Path ==\n<path>\n\n". */
export function pathSection(title: string, path: string): string {
  return `${padEqualSigns(title, path.length)}\n${path}\n\n`;
}

/** A titled Key/Value table of `data`, keys sorted, values rendered like Go's %v. */
export function mapSection(title: string, data: Record<string, unknown>): string {
  const rows = Object.keys(data)
    .sort()
    .map((k): [string, string] => [k, goValue(data[k])]);
  return `${headerForMap(title, data)}\n${keyValueTable(rows)}`;
}
