// Specification of username templates (Vault's text/template subset) and the plugin defaults.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MYSQL_USERNAME_TEMPLATE, POSTGRES_USERNAME_TEMPLATE, parseUsernameTemplate, renderUsername } from './username-template.js';

const inputs = { displayName: 'userpass-alice', roleName: 'readonly-role', now: Date.UTC(2026, 0, 1) };

describe('username templates', () => {
  it('renders the PostgreSQL default as v-<display 8>-<role 8>-<20 random>-<unix time>', () => {
    const u = renderUsername(POSTGRES_USERNAME_TEMPLATE, inputs);
    assert.match(u, /^v-userpass-readonly-[A-Za-z0-9]{20}-1767225600$/);
    assert.ok(u.length <= 63);
  });

  it('renders the MySQL default truncated to 32 characters', () => {
    const u = renderUsername(MYSQL_USERNAME_TEMPLATE, inputs);
    assert.equal(u.length, 32);
    assert.match(u, /^v-userpass-a-readonly-r-[A-Za-z0-9]{8}$/);
  });

  it('supports fields, pipes, parentheses, literals and the string functions', () => {
    assert.equal(renderUsername('{{.RoleName | uppercase}}_{{ (.DisplayName | truncate 4) | lowercase }}', inputs), 'READONLY-ROLE_user');
    assert.equal(renderUsername('{{ replace "-" "_" .RoleName }}', inputs), 'readonly_role');
    assert.equal(renderUsername('{{ printf "%s.%s" "a" .RoleName | truncate 6 }}', inputs), 'a.read');
    assert.equal(renderUsername('{{unix_time}}-{{unix_time_millis}}', inputs), '1767225600-1767225600000');
    assert.equal(renderUsername('{{ timestamp "2006-01-02T15:04:05" }}', inputs), '2026-01-01T00:00:00');
    const hashed = renderUsername('{{ .RoleName | truncate_sha256 12 }}', inputs);
    assert.equal(hashed.length, 12);
    assert.ok(hashed.startsWith('read'));
    assert.match(renderUsername('{{uuid}}', inputs), /^[0-9a-f-]{36}$/);
  });

  it('rejects malformed templates and unknown functions with invalid_request', () => {
    assert.throws(() => parseUsernameTemplate('{{ printf "x" '), /unclosed action|invalid username template/);
    assert.throws(() => parseUsernameTemplate('{{ (.RoleName }}'), /missing \)/);
    assert.throws(() => renderUsername('{{ nosuch 3 }}', inputs), /not defined/);
    assert.throws(() => renderUsername('{{ .Nope }}', inputs), /unknown field/);
  });
});
