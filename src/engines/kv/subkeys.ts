// The subkeys view of a KV v2 secret: its key structure with every leaf value replaced by null.

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Returns the structure of `data`: nested objects are kept as objects, everything else becomes
 * null. `depth` limits how many levels are descended (0 = unlimited; 1 = top-level keys only).
 */
export function subkeysOf(data: Record<string, unknown>, depth: number, level = 1): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    const descend = isObject(v) && (depth === 0 || level < depth);
    out[k] = descend ? subkeysOf(v, depth, level + 1) : null;
  }
  return out;
}
