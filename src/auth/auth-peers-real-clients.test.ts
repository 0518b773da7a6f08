// Acceptance (jwt, kubernetes, identity): Python hvac logs in through the jwt and kubernetes auth
// methods of a real dev server process. The test itself serves their peers over HTTPS on
// loopback — a JWKS endpoint with keys it generates, and a kube-apiserver that answers
// TokenReview — and mints every token hvac presents (good ones and each kind of bad one).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import type { ServerProcess } from '../testing/index.js';
import { repoRoot, startServerProcess, testTlsCert, testTlsKey } from '../testing/index.js';

const run = promisify(execFile);

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer({ cert: testTlsCert, key: testTlsKey }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('jwt and kubernetes auth with hvac against a dev server process, with loopback peers', () => {
  let server: ServerProcess;
  let jwks: { server: Server; url: string };
  let apiserver: { server: Server; url: string };
  const reviews: { auth: string; body: unknown }[] = [];
  // Service-account tokens the fake apiserver authenticates, and as whom.
  const serviceAccounts = new Map<string, { ns: string; name: string; uid: string }>();

  before(async () => {
    server = await startServerProcess(['-dev', '-dev-root-token-id=root', '-dev-listen-address=127.0.0.1:0', '-log-level=warn']);
  });
  after(async () => {
    await server.stop();
    jwks?.server.close();
    apiserver?.server.close();
  });

  it('logs in with jwt and kubernetes, builds identity, and confines each namespace to its own secrets', async () => {
    const signing = await generateKeyPair('RS256');
    const stranger = await generateKeyPair('RS256');
    const publicJwk = { ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = await listen((_req, _body, res) => json(res, 200, { keys: [publicJwk] }));
    const issuer = jwks.url;
    const now = Math.floor(Date.now() / 1000);
    const mint = (claims: JWTPayload, key = signing.privateKey): Promise<string> =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(key);
    const good: JWTPayload = { iss: issuer, aud: 'coffer', sub: 'workload-1', env: 'prod', namespace: 'team-a', groups: ['ops', 'other'], iat: now, exp: now + 3600 };

    const saToken = async (ns: string, name: string, uid: string, known = true): Promise<string> => {
      const token = await mint({
        iss: 'https://kubernetes.default.svc.cluster.local',
        sub: `system:serviceaccount:${ns}:${name}`,
        aud: ['https://kubernetes.default.svc'],
        iat: now,
        exp: now + 3600,
        'kubernetes.io': { namespace: ns, serviceaccount: { name, uid } },
      });
      if (known) serviceAccounts.set(token, { ns, name, uid });
      return token;
    };
    const reviewerJwt = await saToken('kube-system', 'coffer-reviewer', 'uid-reviewer');
    apiserver = await listen((req, body, res) => {
      reviews.push({ auth: req.headers.authorization ?? '', body: JSON.parse(body) as unknown });
      if (req.method !== 'POST' || req.url !== '/apis/authentication.k8s.io/v1/tokenreviews') return json(res, 404, { kind: 'Status', code: 404 });
      if (req.headers.authorization !== `Bearer ${reviewerJwt}`) return json(res, 401, { kind: 'Status', code: 401, message: 'Unauthorized' });
      const spec = (JSON.parse(body) as { spec?: { token?: string; audiences?: string[] } }).spec;
      const sa = serviceAccounts.get(spec?.token ?? '');
      // As kube-apiserver does: the audiences the token is valid for, among those asked about.
      const tokenAudiences = ['https://kubernetes.default.svc'];
      const audiences = spec?.audiences ? spec.audiences.filter((a) => tokenAudiences.includes(a)) : tokenAudiences;
      const status = sa
        ? { authenticated: true, user: { username: `system:serviceaccount:${sa.ns}:${sa.name}`, uid: sa.uid, groups: ['system:serviceaccounts'] }, audiences }
        : { authenticated: false, error: 'token not found' };
      return json(res, 201, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', status });
    });

    const input = {
      url: server.url,
      root: 'root',
      ca_pem: testTlsCert,
      jwks_url: `${jwks.url}/keys`,
      issuer,
      jwt_ok: await mint(good),
      jwt_expired: await mint({ ...good, iat: now - 7200, exp: now - 3600 }),
      jwt_not_yet_valid: await mint({ ...good, nbf: now + 3600 }),
      jwt_wrong_aud: await mint({ ...good, aud: 'someone-else' }),
      jwt_wrong_iss: await mint({ ...good, iss: 'https://evil.example' }),
      jwt_bad_sig: await mint(good, stranger.privateKey),
      jwt_wrong_claim: await mint({ ...good, env: 'dev' }),
      k8s_host: apiserver.url,
      reviewer_jwt: reviewerJwt,
      k8s_team_a: await saToken('team-a', 'app', 'uid-a'),
      k8s_team_b: await saToken('team-b', 'app', 'uid-b'),
      k8s_unauthenticated: await saToken('team-a', 'app', 'uid-gone', false),
      k8s_wrong_namespace: await saToken('default', 'app', 'uid-d'),
    };
    const dir = await mkdtemp(join(tmpdir(), 'coffer-peers-'));
    const file = join(dir, 'input.json');
    await writeFile(file, JSON.stringify(input));
    const script = join(repoRoot, 'test-clients', 'python', 'hvac_peers.py');
    const { stdout } = await run('/usr/bin/python3', [script, file], { timeout: 60_000 }).catch((e: { stdout?: string; stderr?: string }) => {
      throw new Error(`hvac script failed: ${e.stderr ?? ''}${e.stdout ?? ''}`);
    });
    assert.equal(stdout.trim(), 'ok');

    // Every TokenReview was sent as the reviewer, for the login's own token, and never for a
    // service account outside the role's namespaces (that login is refused before calling out).
    assert.ok(reviews.length >= 3);
    for (const r of reviews) assert.equal(r.auth, `Bearer ${reviewerJwt}`);
    const reviewed = reviews.map((r) => (r.body as { spec: { token: string } }).spec.token);
    assert.ok(reviewed.includes(input.k8s_team_a));
    assert.ok(!reviewed.includes(input.k8s_wrong_namespace));
    assert.deepEqual(
      (reviews[0]?.body as { apiVersion: string; kind: string }).apiVersion + '/' + (reviews[0]?.body as { kind: string }).kind,
      'authentication.k8s.io/v1/TokenReview',
    );
  });
});
