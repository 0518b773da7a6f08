// Specification of `*` glob matching (service account bindings, bound claims, allowed roles and policies).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anyGlobMatches, globMatch } from './glob.js';

describe('globMatch', () => {
  it('matches a literal pattern only exactly', () => {
    assert.equal(globMatch('app', 'app'), true);
    assert.equal(globMatch('app', 'app2'), false);
    assert.equal(globMatch('a.b', 'axb'), false);
  });

  it('lets "*" match any run of characters, including none', () => {
    assert.equal(globMatch('*', ''), true);
    assert.equal(globMatch('*', 'anything'), true);
    assert.equal(globMatch('app-*', 'app-'), true);
    assert.equal(globMatch('app-*', 'app-web'), true);
    assert.equal(globMatch('app-*', 'web-app'), false);
    assert.equal(globMatch('*-worker', 'batch-worker'), true);
    assert.equal(globMatch('a*b*c', 'abc'), true);
    assert.equal(globMatch('a*b*c', 'aXbYc'), true);
    assert.equal(globMatch('a*b*c', 'aXcYb'), false);
  });

  it('does not let prefix and suffix overlap', () => {
    assert.equal(globMatch('ab*ba', 'aba'), false);
    assert.equal(globMatch('ab*ba', 'abba'), true);
  });

  it('treats other glob characters literally', () => {
    assert.equal(globMatch('a?c', 'abc'), false);
    assert.equal(globMatch('[ab]', 'a'), false);
  });

  it('accepts a value when any pattern matches', () => {
    assert.equal(anyGlobMatches(['x', 'team-*'], 'team-a'), true);
    assert.equal(anyGlobMatches([], 'team-a'), false);
  });
});
