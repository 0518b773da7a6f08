// Specification of the namespace label selector: parsing (JSON) and matching against labels.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CofferError } from '../../shared/index.js';
import { parseNamespaceSelector, selectorMatches } from './namespace-selector.js';

const matches = (selector: string, labels: Record<string, string>): boolean => selectorMatches(parseNamespaceSelector(selector), labels);
const invalid = (selector: string): void => {
  assert.throws(() => parseNamespaceSelector(selector), (e: unknown) => e instanceof CofferError && e.code === 'invalid_request');
};

describe('namespace selector', () => {
  it('requires every matchLabels entry', () => {
    const s = '{"matchLabels":{"stage":"prod","team":"a"}}';
    assert.equal(matches(s, { stage: 'prod', team: 'a', extra: 'x' }), true);
    assert.equal(matches(s, { stage: 'prod' }), false);
    assert.equal(matches(s, { stage: 'dev', team: 'a' }), false);
  });

  it('applies In, NotIn, Exists and DoesNotExist expressions', () => {
    const exprs = (e: unknown): string => JSON.stringify({ matchExpressions: [e] });
    assert.equal(matches(exprs({ key: 't', operator: 'In', values: ['a', 'b'] }), { t: 'b' }), true);
    assert.equal(matches(exprs({ key: 't', operator: 'In', values: ['a', 'b'] }), { t: 'c' }), false);
    assert.equal(matches(exprs({ key: 't', operator: 'In', values: ['a'] }), {}), false);
    assert.equal(matches(exprs({ key: 't', operator: 'NotIn', values: ['a'] }), {}), true);
    assert.equal(matches(exprs({ key: 't', operator: 'NotIn', values: ['a'] }), { t: 'a' }), false);
    assert.equal(matches(exprs({ key: 't', operator: 'Exists' }), { t: '' }), true);
    assert.equal(matches(exprs({ key: 't', operator: 'Exists' }), {}), false);
    assert.equal(matches(exprs({ key: 't', operator: 'DoesNotExist' }), {}), true);
    assert.equal(matches(exprs({ key: 't', operator: 'DoesNotExist' }), { t: 'x' }), false);
  });

  it('matches every namespace with an empty selector', () => {
    assert.equal(matches('{}', {}), true);
  });

  it('accepts the selector written as YAML', () => {
    const yaml = [
      '# only production namespaces of team a or b',
      'matchLabels:',
      '  stage: prod',
      "  'tier': \"gold\"",
      'matchExpressions:',
      '  - key: team',
      '    operator: In',
      '    values:',
      '      - a',
      '      - b',
    ].join('\n');
    assert.deepEqual(parseNamespaceSelector(yaml), {
      matchLabels: { stage: 'prod', tier: 'gold' },
      matchExpressions: [{ key: 'team', operator: 'In', values: ['a', 'b'] }],
    });
    // Flow collections, and a list at its key's own indentation (which YAML allows).
    const compact = 'matchLabels: {stage: prod}\nmatchExpressions:\n- {key: team, operator: NotIn, values: [c, "d,e"]}\n- key: legacy\n  operator: DoesNotExist';
    assert.deepEqual(parseNamespaceSelector(compact), {
      matchLabels: { stage: 'prod' },
      matchExpressions: [
        { key: 'team', operator: 'NotIn', values: ['c', 'd,e'] },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
      ],
    });
    assert.equal(matches(compact, { stage: 'prod', team: 'a' }), true);
    assert.equal(matches(compact, { stage: 'prod', team: 'c' }), false);
  });

  it('rejects text that is neither a JSON nor a YAML label selector', () => {
    invalid('[]');
    invalid('just words');
    invalid('matchLabels: [');
    invalid('matchLabels:\n  stage: prod\n    oops: x');
    invalid('matchLabels:\n\tstage: prod');
  });

  it('rejects unknown operators and values that do not fit the operator', () => {
    invalid('{"matchExpressions":[{"key":"t","operator":"Like","values":["a"]}]}');
    invalid('{"matchExpressions":[{"key":"t","operator":"In","values":[]}]}');
    invalid('{"matchExpressions":[{"key":"t","operator":"Exists","values":["a"]}]}');
    invalid('{"matchExpressions":[{"operator":"Exists"}]}');
    invalid('{"matchLabels":{"a":1}}');
  });
});
