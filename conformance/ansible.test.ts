// Conformance: Ansible's community.hashi_vault modules and lookups (Debian's `ansible`, run with
// /usr/bin/python3 and its python3-hvac) against a real Coffer dev server. The scenario is the
// playbook test-clients/ansible/conformance.yml; each task named "VERB path | …" checks that
// endpoint, and this test turns the json callback's per-task results into matrix cells.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/testing/index.js';
import type { DevServer } from './fixtures.js';
import { assertEndpointLabel, jwtSigner, runProgram, startDevServer, writeInputFile } from './fixtures.js';
import { matrixRecorder } from './matrix.js';
import { at, oneLine } from './scenario.js';

const rec = matrixRecorder('ansible');

/** Endpoints the collection can call that Coffer does not implement (the playbook checks the refusal). */
const NOT_IMPLEMENTED: Record<string, string> = {
  'POST pki/issue/:role': 'no pki secrets engine (vault_pki_generate_certificate)',
  'POST auth/ldap/login/:name': 'no ldap auth method (vault_login auth_method=ldap)',
  'POST auth/cert/login': 'no cert auth method (vault_login auth_method=cert)',
};

interface TaskOutcome {
  name: string;
  failed: boolean;
  msg: string;
}

/** The json stdout callback's results for localhost, one per task, in order. */
function taskOutcomes(stdout: string): TaskOutcome[] {
  const start = stdout.indexOf('{');
  const doc = JSON.parse(stdout.slice(start)) as unknown;
  const plays = (at(doc, 'plays') ?? []) as unknown[];
  const out: TaskOutcome[] = [];
  for (const play of plays) {
    for (const task of (at(play, 'tasks') ?? []) as unknown[]) {
      const host = at(task, 'hosts', 'localhost');
      const results = (at(host, 'results') ?? []) as unknown[];
      const failedItem = results.find((r) => at(r, 'failed') === true);
      const msg = at(host, 'msg') ?? at(failedItem, 'msg') ?? '';
      const name = at(task, 'task', 'name');
      out.push({ name: typeof name === 'string' ? name : '', failed: at(host, 'failed') === true, msg: typeof msg === 'string' ? msg : JSON.stringify(msg) });
    }
  }
  return out;
}

describe('ansible community.hashi_vault conformance', () => {
  let dev: DevServer | undefined;
  after(async () => {
    rec.save();
    await dev?.server.stop();
  });

  it('passes every endpoint the collection calls that Coffer implements', async () => {
    dev = await startDevServer();
    const signer = await jwtSigner();
    const claims = { iss: 'https://issuer.test', aud: 'coffer', sub: 'pipeline' };
    const input = await writeInputFile({
      vault_url: dev.url,
      root_token: dev.root,
      jwt_pubkey: signer.publicPem,
      jwt_good: await signer.mint(claims),
      jwt_wrong_aud: await signer.mint({ ...claims, aud: 'other' }),
    });
    const home = await mkdtemp(join(tmpdir(), 'coffer-ansible-'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
      ANSIBLE_HOST_KEY_CHECKING: '0',
      ANSIBLE_DEPRECATION_WARNINGS: '0',
    };
    const playbook = join(repoRoot, 'test-clients', 'ansible', 'conformance.yml');
    const run = await runProgram('ansible-playbook', ['-i', 'localhost,', '-c', 'local', playbook, '-e', `@${input}`], env, 120_000);
    let tasks: TaskOutcome[] = [];
    try {
      tasks = taskOutcomes(run.stdout);
    } catch (e) {
      throw new Error(`ansible-playbook printed no json results (exit ${run.code}): ${e instanceof Error ? e.message : String(e)}\n${run.stderr}\n${run.stdout.slice(0, 2000)}`);
    }
    assert.ok(tasks.length > 50, `only ${tasks.length} tasks ran:\n${run.stderr}\n${run.stdout.slice(0, 2000)}`);

    const failures: string[] = [];
    const seen = new Set<string>();
    for (const t of tasks) {
      const m = /^((?:GET|POST|LIST|DELETE|PATCH) \S+) \| /.exec(t.name);
      if (!m?.[1]) {
        if (t.failed) failures.push(`set-up task "${t.name}": ${t.msg}`);
        continue;
      }
      const endpoint = m[1];
      assertEndpointLabel(endpoint);
      seen.add(endpoint);
      const expectedToFail = t.name.endsWith('(refused)');
      if (t.failed && !expectedToFail) {
        rec.record(endpoint, 'fail', oneLine(`${t.name.slice(endpoint.length + 3)}: ${t.msg}`));
        failures.push(`${t.name}: ${t.msg}`);
      }
    }
    for (const endpoint of seen) {
      const note = NOT_IMPLEMENTED[endpoint];
      rec.record(endpoint, note !== undefined ? 'not implemented' : 'pass', note);
    }
    assert.deepEqual(failures, []);
  });
});
