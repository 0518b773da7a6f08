// Finds the stanzas of one kind in a parsed config, whichever way they were written:
// HCL blocks (`listener "tcp" {}`), HCL object attributes (`telemetry = {}`), or Vault's JSON
// shapes (`"listener": [{"tcp": {...}}]`, `"listener": {"tcp": {...}}`).

import type { HclBody, HclValue } from '../../shared/hcl/index.js';
import { configError } from './field-readers.js';

export interface Stanza {
  /** The label (`tcp` in `listener "tcp"`); '' for unlabelled stanzas. */
  label: string;
  body: HclBody;
  line: number;
}

/**
 * Collects every stanza named `name` in `body`, in source order. `labelled` says whether the
 * stanza takes one label (storage, listener, seal) or none (telemetry).
 * Throws invalid_request naming file and line for shapes that cannot be a stanza.
 */
export function collectStanzas(body: HclBody, name: string, labelled: boolean, file: string): Stanza[] {
  const out: Stanza[] = [];
  for (const block of body.blocks) {
    if (block.type !== name) continue;
    const line = block.pos.line;
    if (block.labels.length > (labelled ? 1 : 0)) {
      throw configError(file, line, `${name}: too many labels (${block.labels.map((l) => JSON.stringify(l)).join(' ')})`);
    }
    const label = block.labels[0];
    if (!labelled || label !== undefined) {
      out.push({ label: label ?? '', body: block.body, line });
    } else {
      out.push(...labelledFromBody(block.body, name, file, line));
    }
  }
  for (const attr of body.attributes) {
    if (attr.key !== name) continue;
    out.push(...fromValue(attr.value, name, labelled, file));
  }
  return out.sort((a, b) => a.line - b.line);
}

function fromValue(value: HclValue, name: string, labelled: boolean, file: string): Stanza[] {
  if (value.kind === 'list') return value.items.flatMap((item) => fromValue(item, name, labelled, file));
  if (value.kind !== 'object') {
    throw configError(file, value.pos.line, `${name}: expected a block or object, found a ${value.kind}`);
  }
  if (!labelled) return [{ label: '', body: value.body, line: value.pos.line }];
  return labelledFromBody(value.body, name, file, value.pos.line);
}

// `{ tcp = {...} }` or `{ tcp { ... } }`: each key is a label, each value a stanza body.
function labelledFromBody(body: HclBody, name: string, file: string, line: number): Stanza[] {
  const missingLabel = (): Error => configError(file, line, `${name}: expected a type label such as ${name} "TYPE" { ... }`);
  const out: Stanza[] = [];
  for (const attr of body.attributes) {
    // `storage { path = "/x" }`: the keys are settings, so the type label was forgotten.
    if (attr.value.kind !== 'object' && attr.value.kind !== 'list') throw missingLabel();
    for (const s of fromValue(attr.value, name, false, file)) out.push({ ...s, label: attr.key, line: attr.value.kind === 'list' ? s.line : attr.pos.line });
  }
  for (const block of body.blocks) {
    if (block.labels.length > 0) {
      throw configError(file, block.pos.line, `${name}: too many labels (${[block.type, ...block.labels].map((l) => JSON.stringify(l)).join(' ')})`);
    }
    out.push({ label: block.type, body: block.body, line: block.pos.line });
  }
  if (out.length === 0) throw missingLabel();
  return out;
}
