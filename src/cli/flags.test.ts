// Specification of the Go-style flag parser.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFlags, UsageError } from './flags.js';
import type { FlagSpec } from './flags.js';

const specs: FlagSpec[] = [
  { name: 'format', kind: 'string', usage: '', default: 'table' },
  { name: 'force', kind: 'bool', usage: '' },
  { name: 'key-shares', kind: 'int', usage: '', default: 5 },
  { name: 'config', kind: 'list', usage: '' },
  { name: 'options', kind: 'map', usage: '' },
];

describe('parseFlags', () => {
  it('accepts -name=value, -name value, --name=value and --name value', () => {
    for (const argv of [['-format=json'], ['-format', 'json'], ['--format=json'], ['--format', 'json']]) {
      assert.equal(parseFlags(argv, specs).str('format'), 'json', argv.join(' '));
    }
  });

  it('returns defaults for absent flags and reports which were set', () => {
    const f = parseFlags([], specs);
    assert.equal(f.str('format'), 'table');
    assert.equal(f.int('key-shares'), 5);
    assert.equal(f.bool('force'), false);
    assert.equal(f.isSet('format'), false);
  });

  it('treats a bool flag as true without consuming the next argument, and parses -b=false', () => {
    const f = parseFlags(['-force', 'secret/x'], specs);
    assert.equal(f.bool('force'), true);
    assert.deepEqual(f.args, ['secret/x']);
    assert.equal(parseFlags(['-force=false'], specs).bool('force'), false);
  });

  it('stops at the first positional argument, at "-" and after "--"', () => {
    const f = parseFlags(['-force', 'path', '-format=json'], specs);
    assert.deepEqual(f.args, ['path', '-format=json']);
    assert.equal(f.str('format'), 'table');
    assert.deepEqual(f.ignoredFlags, ['-format=json']);
    assert.deepEqual(parseFlags(['-', '-force'], specs).args, ['-', '-force']);
    assert.deepEqual(parseFlags(['--', '-force'], specs).args, ['-force']);
  });

  it('collects repeatable list and key=value map flags', () => {
    const f = parseFlags(['-config=a.hcl', '-config', 'b.hcl', '-options', 'version=2', '-options=x=y=z'], specs);
    assert.deepEqual(f.list('config'), ['a.hcl', 'b.hcl']);
    assert.deepEqual(f.map('options'), { version: '2', x: 'y=z' });
  });

  it('rejects unknown flags, missing values, bad ints and bad bools with UsageError', () => {
    assert.throws(() => parseFlags(['-nope'], specs), new UsageError('flag provided but not defined: -nope'));
    assert.throws(() => parseFlags(['-format'], specs), new UsageError('flag needs an argument: -format'));
    assert.throws(() => parseFlags(['-key-shares=five'], specs), UsageError);
    assert.throws(() => parseFlags(['-force=maybe'], specs), UsageError);
    assert.throws(() => parseFlags(['-options=novalue'], specs), UsageError);
    assert.throws(() => parseFlags(['---x'], specs), UsageError);
  });

  it('recognises -h, -help and --help as a help request', () => {
    assert.equal(parseFlags(['-h'], specs).help, true);
    assert.equal(parseFlags(['--help'], specs).help, true);
  });

  it('accepts a flag by its alias', () => {
    const f = parseFlags(['-f', 'path'], [{ name: 'force', kind: 'bool', usage: '', aliases: ['f'] }]);
    assert.equal(f.bool('force'), true);
    assert.deepEqual(f.args, ['path']);
  });
});
