// Specification of claim reading: JSON pointers, bound_claims matching, globs, mappings, groups.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch } from '../../shared/index.js';
import { checkBoundClaims, getClaim, groupsFromClaim, mapClaims, validateBoundClaims } from './claims.js';

const claims = {
  sub: 'u1',
  groups: ['dev', 'ops'],
  nested: { key: 'v', 'a/b': 'slash', 'm~n': 'tilde' },
  n: 7,
  ok: true,
  obj: { x: 1 },
};

describe('jwt claims', () => {
  it('reads top-level names and RFC 6901 JSON pointers (with ~0 and ~1 escapes)', () => {
    assert.equal(getClaim(claims, 'sub'), 'u1');
    assert.equal(getClaim(claims, '/groups/1'), 'ops');
    assert.equal(getClaim(claims, '/nested/key'), 'v');
    assert.equal(getClaim(claims, '/nested/a~1b'), 'slash');
    assert.equal(getClaim(claims, '/nested/m~0n'), 'tilde');
    assert.equal(getClaim(claims, '/groups/9'), undefined);
    assert.equal(getClaim(claims, '/groups/01'), undefined);
    assert.equal(getClaim(claims, '/sub/x'), undefined);
  });

  it('treats a leading slash as a literal name when pointers are turned off', () => {
    assert.equal(getClaim({ '/odd': 'x' }, '/odd', false), 'x');
  });

  it('matches globs with * anywhere and nothing else special', () => {
    assert.ok(globMatch('app-*', 'app-web'));
    assert.ok(globMatch('*-web', 'app-web'));
    assert.ok(globMatch('a*b*c', 'aXXbYYc'));
    assert.ok(globMatch('*', ''));
    assert.ok(!globMatch('a*b*c', 'acb'));
    assert.ok(!globMatch('ab*ba', 'aba'));
    assert.ok(!globMatch('app-?', 'app-1'));
    assert.ok(globMatch('app-?', 'app-?'));
  });

  it('requires every bound claim, with any expected value matching any actual value', () => {
    assert.equal(checkBoundClaims(claims, { sub: 'u1', groups: ['x', 'ops'] }, 'string'), undefined);
    assert.equal(checkBoundClaims(claims, { n: '7', ok: 'true' }, 'string'), undefined);
    assert.match(checkBoundClaims(claims, { sub: 'u2' }, 'string') ?? '', /claim "sub" does not match/);
    assert.match(checkBoundClaims(claims, { missing: 'x' }, 'string') ?? '', /claim "missing" is missing/);
    assert.match(checkBoundClaims(claims, { obj: 'x' }, 'string') ?? '', /not a string or list/);
  });

  it('matches bound claims by JSON pointer and by glob', () => {
    assert.equal(checkBoundClaims(claims, { '/nested/key': 'v', '/groups/0': 'dev' }, 'string'), undefined);
    assert.equal(checkBoundClaims(claims, { groups: 'o*' }, 'glob'), undefined);
    assert.notEqual(checkBoundClaims(claims, { groups: 'o*' }, 'string'), undefined);
    assert.notEqual(checkBoundClaims(claims, { '/nested/key': 'w*' }, 'glob'), undefined);
  });

  it('rejects non-scalar bound claim values, and non-strings for globs', () => {
    assert.equal(validateBoundClaims({ a: 'x', b: [1, true, 'y'] }, 'string'), undefined);
    assert.notEqual(validateBoundClaims({ a: { b: 1 } }, 'string'), undefined);
    assert.notEqual(validateBoundClaims({ a: 1 }, 'glob'), undefined);
  });

  it('maps scalar claims into metadata, skips missing ones and refuses objects', () => {
    assert.deepEqual(mapClaims(claims, { sub: 'user', '/nested/key': 'nk', n: 'num', ok: 'flag', nope: 'x' }), { user: 'u1', nk: 'v', num: '7', flag: 'true' });
    assert.throws(() => mapClaims(claims, { obj: 'o' }), /converting claim "obj"/);
  });

  it('reads groups from a list or a single string, skipping empty names', () => {
    assert.deepEqual(groupsFromClaim({ g: ['a', '', 'b', 'a'] }, 'g'), ['a', 'b']);
    assert.deepEqual(groupsFromClaim({ g: 'solo' }, 'g'), ['solo']);
    assert.throws(() => groupsFromClaim({}, 'g'), /not found/);
    assert.throws(() => groupsFromClaim({ g: [1] }, 'g'), /could not be converted/);
  });
});
