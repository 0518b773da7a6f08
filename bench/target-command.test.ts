import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTargetCommand, DEFAULT_TARGET_COMMAND, splitCommandLine } from './target-command.js';

const values = { repo: '/repo', token: 'tok', port: 4321, nodePath: '/usr/bin/node20' };

void describe('target command', () => {
  void it('starts Coffer dev mode on the given port and token by default', () => {
    assert.deepEqual(buildTargetCommand(DEFAULT_TARGET_COMMAND, values), {
      file: '/usr/bin/node20',
      args: ['/repo/bin/coffer', 'server', '-dev', '-dev-root-token-id=tok', '-dev-listen-address=127.0.0.1:4321'],
    });
  });

  void it('substitutes placeholders and appends nothing when the template places {port} itself', () => {
    assert.deepEqual(buildTargetCommand('./srv --port {port} --token={token}', values), {
      file: './srv',
      args: ['--port', '4321', '--token=tok'],
    });
  });

  void it('splits on whitespace and keeps quoted words together', () => {
    assert.deepEqual(splitCommandLine(`  node  'my dir/x.js' "a b"c  `), ['node', 'my dir/x.js', 'a bc']);
    assert.deepEqual(splitCommandLine(`x ''`), ['x', '']);
    assert.throws(() => splitCommandLine(`node 'open`), /unterminated/);
  });

  void it('refuses an empty command', () => {
    assert.throws(() => buildTargetCommand('   ', values), /empty/);
  });
});
