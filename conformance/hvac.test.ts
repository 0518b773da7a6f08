// Conformance: Python hvac (Debian's python3-hvac, under /usr/bin/python3) against real Coffer
// server processes. The scenario is test-clients/python/conformance_hvac.py; it prints one cell
// per endpoint, which this test records. The test serves the peers hvac's logins need (JWT keys,
// a kube-apiserver answering TokenReview) and mints the tokens.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ServerProcess } from '../src/testing/index.js';
import { repoRoot, sqliteConfigDir, startServerProcess } from '../src/testing/index.js';
import type { DevServer, FakeKubeApiserver } from './fixtures.js';
import { fakeKubeApiserver, jwtSigner, recordScriptCells, runProgram, startDevServer, writeInputFile } from './fixtures.js';
import { matrixRecorder } from './matrix.js';

const rec = matrixRecorder('hvac');

describe('hvac conformance', () => {
  let dev: DevServer | undefined;
  let fresh: ServerProcess | undefined;
  let kube: FakeKubeApiserver | undefined;
  after(async () => {
    rec.save();
    kube?.close();
    await dev?.server.stop();
    await fresh?.stop();
  });

  it('passes every endpoint hvac calls that Coffer implements', async () => {
    const cfg = await sqliteConfigDir();
    [dev, fresh] = await Promise.all([startDevServer(), startServerProcess([`-config=${cfg.configPath}`])]);
    const signer = await jwtSigner();
    kube = await fakeKubeApiserver(signer);
    const claims = { iss: 'https://issuer.test', aud: 'coffer', sub: 'build-1', repo: 'app' };
    const input = {
      url: dev.url,
      root: dev.root,
      fresh_url: fresh.url,
      jwt_pubkey: signer.publicPem,
      jwt_good: await signer.mint(claims),
      jwt_wrong_aud: await signer.mint({ ...claims, aud: 'other' }),
      jwt_wrong_claim: await signer.mint({ ...claims, repo: 'other' }),
      jwt_wrong_iss: await signer.mint({ ...claims, iss: 'https://evil.test' }),
      k8s_host: kube.url,
      k8s_ca: kube.caPem,
      k8s_reviewer: kube.reviewerJwt,
      k8s_sa_good: await kube.serviceAccountToken('prod', 'web'),
      k8s_sa_other_ns: await kube.serviceAccountToken('dev', 'web'),
    };
    const script = join(repoRoot, 'test-clients', 'python', 'conformance_hvac.py');
    const run = await runProgram('/usr/bin/python3', [script, await writeInputFile(input)], { ...process.env, VAULT_ADDR: '', VAULT_TOKEN: '' }, 60_000);
    const cells = recordScriptCells(rec, run.stdout);
    assert.equal(run.code, 0, `hvac scenario crashed:\n${run.stderr}`);
    assert.ok(cells.length > 100, `only ${cells.length} cells reported`);
    assert.deepEqual(cells.filter((c) => c.status === 'fail').map((c) => `${c.endpoint}: ${c.note ?? ''}`), []);
  });
});
