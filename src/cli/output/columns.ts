// Column layout like vault's tables (ryanuber/columnize settings vault uses): cells trimmed,
// empty cells shown as "n/a", columns joined by four spaces, the last column not padded.

/** Lays out rows as aligned columns, one line per row, each line ending in "\n". */
export function columns(rows: readonly (readonly string[])[]): string {
  const cells = rows.map((r) => r.map((c) => (c.trim() === '' ? 'n/a' : c.trim())));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('    ') + '\n')
    .join('');
}

/** A table with a header row and a dashed underline under each header, as vault prints. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return columns([header, header.map((h) => '-'.repeat(h.length)), ...rows]);
}

/** The two-column `Key / Value` table vault uses for single objects. */
export function keyValueTable(rows: readonly (readonly [string, string])[]): string {
  return table(['Key', 'Value'], rows);
}
