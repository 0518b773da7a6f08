// The role's bound_service_account_namespace_selector: a Kubernetes LabelSelector (matchLabels
// and matchExpressions) given as JSON or YAML, checked against a namespace's labels.

import { CofferError } from '../../shared/index.js';
import { parseYamlSubset } from './selector-yaml.js';

export interface LabelRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: LabelRequirement[];
}

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

const invalid = (why: string): CofferError => new CofferError('invalid_request', `invalid "bound_service_account_namespace_selector" configured: ${why}`);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Parses and validates a selector string (JSON, or block YAML in a common subset). Throws
 * invalid_request for unparseable text, wrongly typed entries, unknown operators, or values that
 * do not fit the operator (In/NotIn need values; Exists/DoesNotExist take none).
 */
export function parseNamespaceSelector(text: string): LabelSelector {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch {
    raw = parseYamlSubset(text);
    if (raw === undefined) throw invalid('not a JSON or YAML label selector');
  }
  if (!isObject(raw)) throw invalid('expected an object');
  const out: LabelSelector = { matchLabels: {}, matchExpressions: [] };
  const labels = raw['matchLabels'];
  if (labels !== undefined && labels !== null) {
    if (!isObject(labels)) throw invalid('matchLabels must be an object');
    for (const [k, v] of Object.entries(labels)) {
      if (typeof v !== 'string') throw invalid(`matchLabels value for ${JSON.stringify(k)} must be a string`);
      out.matchLabels[k] = v;
    }
  }
  const exprs = raw['matchExpressions'];
  if (exprs !== undefined && exprs !== null) {
    if (!Array.isArray(exprs)) throw invalid('matchExpressions must be a list');
    for (const e of exprs as unknown[]) {
      if (!isObject(e)) throw invalid('each matchExpressions entry must be an object');
      const key = e['key'];
      const operator = e['operator'];
      const values = e['values'] ?? [];
      if (typeof key !== 'string' || key === '') throw invalid('matchExpressions entry lacks a key');
      if (typeof operator !== 'string' || !OPERATORS.includes(operator)) throw invalid(`unknown operator ${JSON.stringify(operator)}`);
      if (!Array.isArray(values) || !(values as unknown[]).every((x) => typeof x === 'string')) throw invalid('values must be a list of strings');
      const vals = values as string[];
      if ((operator === 'In' || operator === 'NotIn') && vals.length === 0) throw invalid(`operator ${operator} needs values`);
      if ((operator === 'Exists' || operator === 'DoesNotExist') && vals.length > 0) throw invalid(`operator ${operator} takes no values`);
      out.matchExpressions.push({ key, operator: operator as LabelRequirement['operator'], values: vals });
    }
  }
  return out;
}

/** True when `labels` satisfy every matchLabels entry and every expression (an empty selector matches all). */
export function selectorMatches(sel: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) {
    if (labels[k] !== v) return false;
  }
  for (const r of sel.matchExpressions) {
    const has = Object.hasOwn(labels, r.key);
    const value = labels[r.key];
    switch (r.operator) {
      case 'In':
        if (!has || value === undefined || !r.values.includes(value)) return false;
        break;
      case 'NotIn':
        if (has && value !== undefined && r.values.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}
