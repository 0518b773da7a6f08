import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRouter } from './router.js';
import type { MountEntry } from './mount-entry.js';
import { defaultMountConfig } from './mount-entry.js';
import type { LogicalBackend, Storage } from '../sdk/index.js';

const backend = {} as LogicalBackend;
const storage = {} as Storage;
const entry = (path: string, table: 'mounts' | 'auth' = 'mounts'): MountEntry => ({
  table,
  path,
  type: 'kv',
  description: '',
  uuid: path,
  accessor: '',
  config: defaultMountConfig(),
  options: null,
  local: false,
  sealWrap: false,
  externalEntropyAccess: false,
  builtin: false,
});

describe('router', () => {
  const r = createRouter();
  for (const p of ['secret/', 'secret/team/', 'sys/']) r.add({ entry: entry(p), backend, storage });
  r.add({ entry: entry('userpass/', 'auth'), backend, storage });

  it('picks the longest mount prefix', () => {
    assert.equal(r.resolve('secret/team/app')?.mountPath, 'secret/team/');
    assert.equal(r.resolve('secret/team/app')?.relative, 'app');
    assert.equal(r.resolve('secret/other')?.mountPath, 'secret/');
  });
  it('resolves the mount path itself with and without a trailing slash', () => {
    assert.equal(r.resolve('secret')?.relative, '');
    assert.equal(r.resolve('secret/')?.relative, '');
  });
  it('only matches whole segments', () => {
    assert.equal(r.resolve('secretive/x'), undefined);
  });
  it('routes auth mounts under auth/', () => {
    assert.equal(r.resolve('auth/userpass/login/bob')?.relative, 'login/bob');
  });
  it('returns undefined when nothing matches', () => {
    assert.equal(r.resolve('nope/x'), undefined);
  });
});
