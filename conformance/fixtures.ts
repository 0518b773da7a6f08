// What every client's conformance suite needs around the client itself: a dev server process with
// a random root token, a JWT signing key whose public half Coffer validates against, a loopback
// kube-apiserver answering TokenReview, and a runner for subprocess clients that print cells.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import type { ServerProcess } from '../src/testing/index.js';
import { startServerProcess, testTlsCert, testTlsKey } from '../src/testing/index.js';
import type { CellStatus, MatrixRecorder } from './matrix.js';

export interface DevServer {
  server: ServerProcess;
  url: string;
  root: string;
}

/** A dev-mode `coffer server` (in memory, unsealed, `secret/` is KV v2) with a random root token. */
export async function startDevServer(): Promise<DevServer> {
  const root = `root-${randomBytes(8).toString('hex')}`;
  const server = await startServerProcess(['-dev', `-dev-root-token-id=${root}`, '-dev-listen-address=127.0.0.1:0', '-log-level=warn']);
  return { server, url: server.url, root };
}

export interface JwtSigner {
  /** PEM public key for `jwt_validation_pubkeys`. */
  publicPem: string;
  /** Signs claims with RS256; `iat`/`exp` default to now and an hour from now. */
  mint(claims: JWTPayload): Promise<string>;
}

export async function jwtSigner(): Promise<JwtSigner> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicPem = await exportSPKI(publicKey);
  return {
    publicPem,
    mint: (claims) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iat: now, exp: now + 3600, ...claims }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    },
  };
}

export interface FakeKubeApiserver {
  url: string;
  caPem: string;
  reviewerJwt: string;
  /** The `iss` of the service-account tokens it hands out. */
  issuer: string;
  /** A service-account token the apiserver authenticates as system:serviceaccount:<ns>:<name>. */
  serviceAccountToken(ns: string, name: string): Promise<string>;
  close(): void;
}

/** An HTTPS kube-apiserver on loopback that answers TokenReview for tokens it handed out. */
export async function fakeKubeApiserver(signer: JwtSigner): Promise<FakeKubeApiserver> {
  const issuer = 'https://kubernetes.default.svc.cluster.local';
  const known = new Map<string, { ns: string; name: string; uid: string }>();
  const mintSa = async (ns: string, name: string): Promise<string> => {
    const uid = `uid-${randomBytes(4).toString('hex')}`;
    const token = await signer.mint({
      iss: issuer,
      sub: `system:serviceaccount:${ns}:${name}`,
      'kubernetes.io': { namespace: ns, serviceaccount: { name, uid } },
    });
    known.set(token, { ns, name, uid });
    return token;
  };
  const reviewerJwt = await mintSa('kube-system', 'coffer-reviewer');
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, body: string, res: ServerResponse): void => {
    if (req.method !== 'POST' || req.url !== '/apis/authentication.k8s.io/v1/tokenreviews') return send(res, 404, { kind: 'Status', code: 404 });
    if (req.headers.authorization !== `Bearer ${reviewerJwt}`) return send(res, 401, { kind: 'Status', code: 401 });
    const spec = (JSON.parse(body) as { spec?: { token?: string } }).spec;
    const sa = known.get(spec?.token ?? '');
    const status = sa
      ? { authenticated: true, user: { username: `system:serviceaccount:${sa.ns}:${sa.name}`, uid: sa.uid, groups: ['system:serviceaccounts'] } }
      : { authenticated: false, error: 'token not found' };
    send(res, 201, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', status });
  };
  const server: Server = createServer({ cert: testTlsCert, key: testTlsKey }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPem: testTlsCert,
    reviewerJwt,
    issuer,
    serviceAccountToken: mintSa,
    close: () => server.close(),
  };
}

interface ScriptCell {
  endpoint: string;
  status: CellStatus;
  note?: string;
}

const STATUSES: readonly string[] = ['pass', 'fail', 'not implemented'];
const ENDPOINT_LABEL = /^(GET|POST|LIST|DELETE|PATCH) \S+$/;

function isScriptCell(v: unknown): v is ScriptCell {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o['endpoint'] === 'string' && typeof o['status'] === 'string' && STATUSES.includes(o['status']) && (o['note'] === undefined || typeof o['note'] === 'string');
}

/** Checks an endpoint label has the shape every client's cells share: "VERB path-template". */
export function assertEndpointLabel(endpoint: string): void {
  if (!ENDPOINT_LABEL.test(endpoint)) throw new Error(`malformed endpoint label ${JSON.stringify(endpoint)}`);
}

/**
 * Records the cells a subprocess client printed, one JSON object per line
 * (`{"endpoint", "status", "note"?}`; other lines are ignored), and returns the failed ones.
 */
export function recordScriptCells(rec: MatrixRecorder, stdout: string): ScriptCell[] {
  const cells: ScriptCell[] = [];
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(t) as unknown;
    } catch {
      continue;
    }
    if (!isScriptCell(parsed)) continue;
    assertEndpointLabel(parsed.endpoint);
    cells.push(parsed);
    rec.record(parsed.endpoint, parsed.status, parsed.note);
  }
  return cells;
}

/** Writes `input` to a temp JSON file and returns its path (scripts read their input from it). */
export async function writeInputFile(input: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-conformance-'));
  const file = join(dir, 'input.json');
  await writeFile(file, JSON.stringify(input));
  return file;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a program to completion; never rejects on a non-zero exit (the caller reads the cells). */
export function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}
