// Tests of the LIST-aware server over real sockets on 127.0.0.1: keep-alive, pipelining,
// byte-at-a-time writes and TLS, with responses checked in order against the handler's view.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { createListAwareServer, requestMethod } from './list-aware-server.js';

const POST_BODY = '{"note":"LIST /x HTTP/1.1\\r\\nHost: y"}';
const CHUNKED = '5\r\nLIST \r\n8;ext="LIST a"\r\nLIST /z \r\n0\r\nX-T: LIST /t\r\n\r\n';

const REQUESTS = [
  'GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n',
  'LIST /v1/secret/ HTTP/1.1\r\nHost: x\r\nX-Vault-Token: t\r\n\r\n',
  `POST /v1/p HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${POST_BODY.length}\r\n\r\n${POST_BODY}`,
  `PUT /v1/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${CHUNKED}`,
  'LINK /v1/l HTTP/1.1\r\nHost: x\r\n\r\n',
  '\r\nLIST /v1/again HTTP/1.1\r\nHost: x\r\n\r\n',
];
const EXPECTED = [
  'GET /v1/a 0',
  'LIST /v1/secret/ 0',
  `POST /v1/p ${POST_BODY.length}`,
  'PUT /v1/c 13',
  'LINK /v1/l 0',
  'LIST /v1/again 0',
];

function handler(req: IncomingMessage, res: ServerResponse): void {
  let n = 0;
  req.on('data', (d: Buffer) => (n += d.length));
  req.on('end', () => res.end(`${requestMethod(req)} ${req.url ?? ''} ${n}`));
}

/** Splits a byte stream of HTTP/1.1 responses (Content-Length framed) into [status, body] pairs. */
function parseResponses(raw: string): [number, string][] {
  const out: [number, string][] = [];
  let pos = 0;
  for (;;) {
    const headEnd = raw.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) return out;
    const head = raw.slice(pos, headEnd);
    const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? '0');
    if (raw.length < headEnd + 4 + len) return out;
    out.push([Number(head.slice(9, 12)), raw.slice(headEnd + 4, headEnd + 4 + len)]);
    pos = headEnd + 4 + len;
  }
}

type Connect = () => net.Socket;

/** Runs `send` on a new connection and resolves once `count` responses arrived. */
function converse(connect: Connect, count: number, send: (s: net.Socket, got: () => number) => Promise<void>): Promise<[number, string][]> {
  return new Promise((resolve, reject) => {
    const s = connect();
    let raw = '';
    let done = false;
    const waiters: (() => void)[] = [];
    s.on('data', (d: Buffer) => {
      raw += d.toString('latin1');
      const got = parseResponses(raw);
      for (const w of waiters.splice(0)) w();
      if (got.length >= count && !done) {
        done = true;
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', reject);
    s.on('close', () => {
      if (!done) resolve(parseResponses(raw));
    });
    (s as net.Socket & { waitResponse?: () => Promise<void> }).waitResponse = () => new Promise((r) => waiters.push(r));
    const onReady = (): void => {
      send(s, () => parseResponses(raw).length).catch(reject);
    };
    if (s instanceof tls.TLSSocket) s.once('secureConnect', onReady);
    else s.once('connect', onReady);
  });
}

const write = (s: net.Socket, data: string): Promise<void> =>
  new Promise((resolve, reject) => s.write(Buffer.from(data, 'latin1'), (e) => (e ? reject(e) : resolve())));

async function sendOneByOne(s: net.Socket, got: () => number): Promise<void> {
  for (let i = 0; i < REQUESTS.length; i++) {
    await write(s, REQUESTS[i]!);
    const w = (s as net.Socket & { waitResponse: () => Promise<void> }).waitResponse;
    while (got() <= i) await w();
  }
}

async function sendBytewise(s: net.Socket): Promise<void> {
  s.setNoDelay(true);
  const all = REQUESTS.join('');
  for (let i = 0; i < all.length; i++) await write(s, all[i]!);
}

function listen(server: Server): Promise<number> {
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
}

{
  describe('createListAwareServer over plain TCP', () => {
    let server: Server;
    let connect: Connect;
    before(async () => {
      server = createListAwareServer({ requestListener: handler });
      const port = await listen(server);
      connect = () => net.connect(port, '127.0.0.1');
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('serves GET, LIST, POST and chunked PUT with LIST-looking bodies, LINK and LIST on one keep-alive connection', async () => {
      const got = await converse(connect, REQUESTS.length, sendOneByOne);
      assert.deepEqual(got.map(([, b]) => b), EXPECTED);
      assert.ok(got.every(([st]) => st === 200));
    });

    it('serves the same requests pipelined in one write, in order', async () => {
      const got = await converse(connect, REQUESTS.length, (s) => write(s, REQUESTS.join('')));
      assert.deepEqual(got.map(([, b]) => b), EXPECTED);
    });

    it('serves the same requests written one byte at a time', async () => {
      const got = await converse(connect, REQUESTS.length, sendBytewise);
      assert.deepEqual(got.map(([, b]) => b), EXPECTED);
    });

    it('keeps LIST and LINK apart when Node answers a request itself (417 for an unknown Expect)', async () => {
      const got = await converse(connect, 3, (s) =>
        write(
          s,
          'LIST /v1/e HTTP/1.1\r\nHost: x\r\nExpect: nonsense\r\n\r\n' +
            'LINK /v1/k HTTP/1.1\r\nHost: x\r\n\r\n' +
            'LIST /v1/f HTTP/1.1\r\nHost: x\r\n\r\n',
        ),
      );
      assert.deepEqual(got, [
        [417, ''],
        [200, 'LINK /v1/k 0'],
        [200, 'LIST /v1/f 0'],
      ]);
    });

    it('leaves malformed requests to Node (400) without rewriting anything', async () => {
      const got = await converse(connect, 1, (s) => write(s, 'LIST /a HTTP/1.1\nHost: x\n\n'));
      assert.equal(got[0]?.[0], 400);
    });
  });
}

function makeCert(): { cert: Buffer; key: Buffer } | string {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
  } catch (e) {
    return `openssl CLI not usable to make a throwaway certificate: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tlsMaterial = makeCert();
{
  describe('createListAwareServer over TLS', { skip: typeof tlsMaterial === 'string' ? tlsMaterial : false }, () => {
    let server: Server;
    let connect: Connect;
    before(async () => {
      if (typeof tlsMaterial === 'string') return;
      server = createListAwareServer({ tls: tlsMaterial, requestListener: handler });
      const port = await listen(server);
      connect = () => tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    });
    after(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

    it('serves LIST and the mixed sequence pipelined over TLS', async () => {
      const got = await converse(connect, REQUESTS.length, (s) => write(s, REQUESTS.join('')));
      assert.deepEqual(got.map(([, b]) => b), EXPECTED);
    });

    it('serves the mixed sequence written one byte at a time over TLS', async () => {
      const got = await converse(connect, REQUESTS.length, sendBytewise);
      assert.deepEqual(got.map(([, b]) => b), EXPECTED);
    });
  });
}

describe('requestMethod', () => {
  it('returns the real method for requests from an ordinary server', () => {
    assert.equal(requestMethod({ method: 'GET' } as IncomingMessage), 'GET');
    assert.equal(requestMethod({ method: 'LINK' } as IncomingMessage), 'LINK');
  });
});
