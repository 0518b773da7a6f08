// Output formats (-format / VAULT_FORMAT) and the generic "print this value" for json and yaml.

import { toYaml } from './yaml.js';

export type OutputFormat = 'table' | 'json' | 'yaml';

/** Parses a -format value (case-insensitive); undefined when unknown. */
export function parseFormat(s: string): OutputFormat | undefined {
  const f = s.trim().toLowerCase();
  return f === 'table' || f === 'json' || f === 'yaml' ? f : undefined;
}

/** JSON with a 2-space indent (what vault's -format=json prints), or YAML; ends with "\n". */
export function formatStructured(format: 'json' | 'yaml', value: unknown): string {
  return format === 'json' ? JSON.stringify(value ?? null, null, 2) + '\n' : toYaml(value);
}
