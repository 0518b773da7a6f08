// Specification of key=value argument parsing for write/patch/read.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from './flags.js';
import { parseKvArgs } from './kv-args.js';
import type { KvSources } from './kv-args.js';

function sources(stdin: string, files: Record<string, string> = {}): KvSources {
  return {
    readStdin: () => Promise.resolve(stdin),
    readFile: (p) => (p in files ? Promise.resolve(files[p]!) : Promise.reject(new Error(`ENOENT: ${p}`))),
  };
}

describe('parseKvArgs', () => {
  it('splits on the first "=" and keeps values as strings', async () => {
    assert.deepEqual(await parseKvArgs(['a=1', 'b=x=y', 'c='], sources('')), { a: '1', b: 'x=y', c: '' });
  });

  it('reads k=@file from the file and k=- from stdin', async () => {
    const d = await parseKvArgs(['cert=@/tmp/c.pem', 'pw=-'], sources('from-stdin', { '/tmp/c.pem': 'PEM\n' }));
    assert.deepEqual(d, { cert: 'PEM\n', pw: 'from-stdin' });
  });

  it('keeps a literal @ when escaped as \\@', async () => {
    assert.deepEqual(await parseKvArgs(['email=\\@me'], sources('')), { email: '@me' });
  });

  it('merges a JSON object from stdin for a lone "-" and from a file for a lone "@file"', async () => {
    assert.deepEqual(await parseKvArgs(['-'], sources('{"a":1,"b":{"c":true}}')), { a: 1, b: { c: true } });
    assert.deepEqual(await parseKvArgs(['@d.json', 'x=y'], sources('', { 'd.json': '{"a":"b"}' })), { a: 'b', x: 'y' });
  });

  it('turns a repeated key into a list', async () => {
    assert.deepEqual(await parseKvArgs(['p=a', 'p=b', 'p=c'], sources('')), { p: ['a', 'b', 'c'] });
  });

  it('rejects pairs without "=", stdin used twice, bad JSON and unreadable files', async () => {
    await assert.rejects(parseKvArgs(['novalue'], sources('')), UsageError);
    await assert.rejects(parseKvArgs(['a=-', 'b=-'], sources('x')), /stdin already consumed/);
    await assert.rejects(parseKvArgs(['-'], sources('[1,2]')), /must be an object/);
    await assert.rejects(parseKvArgs(['-'], sources('{oops')), /failed to parse JSON/);
    await assert.rejects(parseKvArgs(['a=@missing'], sources('')), /error reading file "missing"/);
  });
});
