import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Logger } from '../shared/index.js';
import { isCofferError, silentLogger } from '../shared/index.js';
import { createSocketAuditDevice } from './socket-device.js';

const config = (options: Record<string, string>, logger: Logger = silentLogger) => ({ path: 'socket/', options, logger });

/** A stream server that collects what it receives; `lines(n)` resolves once n lines arrived. */
interface Collector {
  server: net.Server;
  received: () => string;
  lines(n: number): Promise<string[]>;
  /** Stops listening and drops every connection; resolves once the server is fully closed. */
  stop(): Promise<void>;
}

function collect(listen: (s: net.Server, ready: () => void) => void): Promise<Collector> {
  let data = '';
  const waiters: Array<() => void> = [];
  const conns = new Set<net.Socket>();
  const server = net.createServer((c) => {
    conns.add(c);
    c.on('close', () => conns.delete(c));
    c.setEncoding('utf8');
    c.on('data', (chunk: string) => {
      data += chunk;
      for (const w of waiters.splice(0)) w();
    });
  });
  const lineList = (): string[] => data.split('\n').slice(0, -1);
  const c: Collector = {
    server,
    received: () => data,
    lines: (n) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (lineList().length >= n) resolve(lineList());
          else waiters.push(check);
        };
        check();
      }),
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of conns) s.destroy();
      }),
  };
  return new Promise((resolve) => listen(server, () => resolve(c)));
}

const tcpCollector = (port = 0): Promise<Collector> => collect((s, ready) => s.listen(port, '127.0.0.1', ready));
const unixCollector = (path: string): Promise<Collector> => collect((s, ready) => s.listen(path, ready));
const portOf = (s: net.Server): number => (s.address() as net.AddressInfo).port;

/** A logger that lets a test wait for the device to notice its connection is gone. */
function watchingLogger(): { logger: Logger; connectionLost: () => Promise<void> } {
  let notify: () => void = () => undefined;
  let lost = new Promise<void>((r) => (notify = r));
  const logger: Logger = {
    ...silentLogger,
    warn: (fields, msg) => {
      if (msg === 'audit socket connection lost') notify();
      void fields;
    },
    child: () => logger,
  };
  return {
    logger,
    connectionLost: async () => {
      await lost;
      lost = new Promise<void>((r) => (notify = r));
    },
  };
}

describe('socket audit device', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coffer-audit-socket-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers lines over TCP in call order, one newline after each', async () => {
    const peer = await tcpCollector();
    const d = await createSocketAuditDevice(config({ address: `127.0.0.1:${portOf(peer.server)}` }));
    const expected = Array.from({ length: 200 }, (_, i) => `{"n":${i}}`);
    await Promise.all(expected.map((l) => d.write([l])));
    assert.deepEqual(await peer.lines(200), expected);
    assert.ok(d.stats().flushes <= 3, `expected batching, saw ${d.stats().flushes} flushes`);
    await d.close();
    await peer.stop();
  });

  it('delivers lines over a unix socket in call order', async () => {
    const path = join(dir, 'ordered.sock');
    const peer = await unixCollector(path);
    const d = await createSocketAuditDevice(config({ address: path, socket_type: 'unix' }));
    await Promise.all([d.write(['a', 'b']), d.write(['c'])]);
    await d.write(['d']);
    assert.deepEqual(await peer.lines(4), ['a', 'b', 'c', 'd']);
    await d.close();
    await peer.stop();
  });

  it('rejects writes while the peer is gone and delivers again once it is back', async () => {
    const first = await tcpCollector();
    const port = portOf(first.server);
    const watch = watchingLogger();
    const d = await createSocketAuditDevice(config({ address: `127.0.0.1:${port}`, write_timeout: '1s' }, watch.logger));
    await d.write(['before']);
    assert.deepEqual(await first.lines(1), ['before']);

    await first.stop();
    await watch.connectionLost();
    await assert.rejects(d.write(['while down']), (e: unknown) => isCofferError(e) && /socket\/: write failed/.test(e.message));

    const second = await tcpCollector(port);
    await d.write(['after']);
    assert.deepEqual(await second.lines(1), ['after']);
    await d.close();
    await second.stop();
  });

  it('rejects a write when nothing listens at the address', async () => {
    const probe = await tcpCollector();
    const port = portOf(probe.server);
    await probe.stop();
    const d = await createSocketAuditDevice(config({ address: `127.0.0.1:${port}` }));
    await assert.rejects(d.write(['nobody home']), /ECONNREFUSED/);
    await d.close();
  });

  it('gives up on a peer that does not read within write_timeout', async () => {
    const path = join(dir, 'stalled.sock');
    const conns: net.Socket[] = [];
    const server = net.createServer((c) => {
      c.pause(); // never reads: the kernel buffers fill and the write cannot complete
      conns.push(c);
    });
    await new Promise<void>((r) => server.listen(path, r));
    const d = await createSocketAuditDevice(config({ address: path, socket_type: 'unix', write_timeout: '150ms' }));
    await assert.rejects(d.write(['x'.repeat(8 * 1024 * 1024)]), /timed out after 150ms/);
    await d.close();
    for (const c of conns) c.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends one datagram per line over UDP, in order', async () => {
    const peer = dgram.createSocket('udp4');
    const got: string[] = [];
    let want = 0;
    let done: () => void = () => undefined;
    peer.on('message', (m) => {
      got.push(m.toString('utf8'));
      if (got.length === want) done();
    });
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
    const d = await createSocketAuditDevice(config({ address: `127.0.0.1:${peer.address().port}`, socket_type: 'udp' }));
    want = 3;
    const arrived = new Promise<void>((r) => (done = r));
    await Promise.all([d.write(['one', 'two']), d.write(['three'])]);
    await arrived;
    assert.deepEqual(got, ['one\n', 'two\n', 'three\n']);
    await d.close();
    peer.close();
  });

  it('refuses to be created without an address or with bad options', async () => {
    const bad = (e: unknown): boolean => isCofferError(e) && e.code === 'invalid_request';
    await assert.rejects(createSocketAuditDevice(config({})), (e: unknown) => bad(e) && /address is required/.test((e as Error).message));
    await assert.rejects(createSocketAuditDevice(config({ address: '127.0.0.1:9', socket_type: 'unixgram' })), bad);
    await assert.rejects(createSocketAuditDevice(config({ address: 'no-port-here' })), bad);
    await assert.rejects(createSocketAuditDevice(config({ address: '127.0.0.1:9', write_timeout: 'soon' })), bad);
    await assert.rejects(createSocketAuditDevice(config({ address: '127.0.0.1:9', write_timeout: '0s' })), bad);
  });

  it('can be created while the peer is down (it connects on first write)', async () => {
    const d = await createSocketAuditDevice(config({ address: join(dir, 'absent.sock'), socket_type: 'unix' }));
    await assert.rejects(d.write(['x']), /ENOENT|ECONNREFUSED/);
    await d.close();
  });

  it('rejects writes after close', async () => {
    const peer = await tcpCollector();
    const d = await createSocketAuditDevice(config({ address: `127.0.0.1:${portOf(peer.server)}` }));
    await d.write(['x']);
    await d.close();
    await assert.rejects(d.write(['y']), /closed/);
    await peer.stop();
  });
});
