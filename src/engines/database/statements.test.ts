// Specification of statement splitting, placeholder substitution and the expiration format.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatExpiration, prepareStatements, renderStatement, splitStatements } from './statements.js';

describe('statement splitting', () => {
  it('splits one entry on semicolons and drops empty statements', () => {
    assert.deepEqual(splitStatements(['CREATE ROLE a; GRANT x TO a;; ']), ['CREATE ROLE a', 'GRANT x TO a']);
  });

  it('keeps semicolons inside quotes, identifiers, dollar quotes and comments', () => {
    const sql = `CREATE ROLE "a;b" PASSWORD 'p;w'; DO $$BEGIN PERFORM 1; END$$; SELECT 1 -- x;y\n; SELECT /* ; */ 2; SELECT \`c;d\``;
    assert.deepEqual(splitStatements([sql]), [`CREATE ROLE "a;b" PASSWORD 'p;w'`, 'DO $$BEGIN PERFORM 1; END$$', 'SELECT 1 -- x;y', 'SELECT /* ; */ 2', 'SELECT `c;d`']);
  });

  it('treats a doubled quote as part of the string', () => {
    assert.deepEqual(splitStatements(["SELECT 'it''s; fine'; SELECT 2"]), ["SELECT 'it''s; fine'", 'SELECT 2']);
  });

  it('concatenates the statements of several entries in order', () => {
    assert.deepEqual(splitStatements(['A; B', 'C']), ['A', 'B', 'C']);
  });
});

describe('placeholder substitution', () => {
  it('substitutes name (also as username), password and expiration, with or without spaces', () => {
    const out = renderStatement(`CREATE ROLE "{{name}}" PASSWORD '{{ password }}' VALID UNTIL '{{expiration}}'; -- {{username}}`, {
      name: 'v-u',
      password: 'pw',
      expiration: '2026-01-01 00:00:00+0000',
    });
    assert.equal(out, `CREATE ROLE "v-u" PASSWORD 'pw' VALID UNTIL '2026-01-01 00:00:00+0000'; -- v-u`);
  });

  it('leaves placeholders it has no value for, and unknown ones, as written', () => {
    assert.equal(renderStatement('{{name}} {{password}} {{other}}', { name: 'n' }), 'n {{password}} {{other}}');
  });

  it('prepares statements by splitting then substituting', () => {
    assert.deepEqual(prepareStatements(['A {{name}}; B {{name}}'], { name: 'x' }), ['A x', 'B x']);
  });
});

describe('expiration format', () => {
  it("formats as Vault does for SQL databases: 'YYYY-MM-DD hh:mm:ss+0000' in UTC", () => {
    assert.equal(formatExpiration(Date.UTC(2026, 0, 2, 3, 4, 5)), '2026-01-02 03:04:05+0000');
  });
});
