// Specification of the server logger: Vault's json and standard formats, credential fields
// redacted, and levels changed at run time per component.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServerLogging } from './pino-logger.js';

function capture(): { out: { write(s: string): boolean }; lines: string[] } {
  const lines: string[] = [];
  return { out: { write: (s: string) => lines.push(s) > 0 }, lines };
}

describe('server logger', () => {
  it('writes hclog-style JSON: @level, @message, @timestamp, @module and the fields', () => {
    const { out, lines } = capture();
    const { logger } = createServerLogging(out, 'info', 'json');
    logger.child({ component: 'token' }).info({ accessor: 'abc' }, 'token created');
    const o = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.equal(o['@level'], 'info');
    assert.equal(o['@message'], 'token created');
    assert.equal(o['@module'], 'token');
    assert.equal(o['accessor'], 'abc');
    assert.match(String(o['@timestamp']), /^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('writes one human-readable line in the standard format', () => {
    const { out, lines } = capture();
    createServerLogging(out, 'info', 'standard').logger.child({ module: 'core' }).warn({ mount: 'secret/' }, 'slow mount');
    assert.match(lines[0] ?? '', /^\d{4}-\d\d-\d\dT\S+Z \[WARN\]  core: slow mount: mount=secret\/\n$/);
  });

  it('redacts fields that could carry credentials', () => {
    const { out, lines } = capture();
    const { logger } = createServerLogging(out, 'debug', 'json');
    logger.info({ token: 'hvs.SECRET', nested: { password: 'hunter2' }, client_token: 'hvs.X' }, 'x');
    assert.ok(!lines.join('').includes('hvs.SECRET'));
    assert.ok(!lines.join('').includes('hunter2'));
    assert.ok(!lines.join('').includes('hvs.X'));
  });

  it('changes the level of one component, of all, and resets to the configured level', () => {
    const { out, lines } = capture();
    const { logger, control } = createServerLogging(out, 'info', 'json');
    const token = logger.child({ component: 'token' });
    const sub = token.child({ mount: 'auth/token/' });
    const expiration = logger.child({ component: 'expiration' });
    assert.equal(control.setLevel('debug', 'token'), true);
    token.debug('a');
    sub.debug('b');
    expiration.debug('c');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { '@message': string })['@message']), ['a', 'b']);
    assert.equal(control.levels()['token'], 'debug');
    assert.equal(control.levels()['expiration'], 'info');
    assert.equal(control.setLevel('error'), true);
    expiration.warn('d');
    assert.equal(lines.length, 2);
    control.reset();
    expiration.info('e');
    assert.equal(lines.length, 3);
    assert.equal(control.setLevel('debug', 'nope'), false);
  });
});
