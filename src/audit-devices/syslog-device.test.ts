import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createManualClock, isCofferError, silentLogger } from '../shared/index.js';
import { createSyslogAuditDevice } from './syslog-device.js';
import { formatRfc3164, syslogPriority } from './syslog-format.js';

const config = (options: Record<string, string>) => ({ path: 'syslog/', options, logger: silentLogger });
const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

/** A unix stream "syslog daemon"; `lines(n)` resolves once n newline-terminated messages arrived. */
async function streamDaemon(path: string): Promise<{ lines(n: number): Promise<string[]>; stop(): Promise<void> }> {
  let data = '';
  const waiters: Array<() => void> = [];
  const conns = new Set<net.Socket>();
  const server = net.createServer((c) => {
    conns.add(c);
    c.setEncoding('utf8');
    c.on('data', (chunk: string) => {
      data += chunk;
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => server.listen(path, r));
  const list = (): string[] => data.split('\n').slice(0, -1);
  return {
    lines: (n) =>
      new Promise((resolve) => {
        const check = (): void => (list().length >= n ? resolve(list()) : void waiters.push(check));
        check();
      }),
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const c of conns) c.destroy();
      }),
  };
}

describe('syslog audit device', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coffer-audit-syslog-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sends each line to a stream /dev/log as an RFC 3164 message with the facility, tag and pid', async () => {
    const path = join(dir, 'log.sock');
    const daemon = await streamDaemon(path);
    const clock = createManualClock(AT);
    const d = await createSyslogAuditDevice(config({ facility: 'local0', tag: 'coffer' }), { devLogPath: path, clock, pid: 4242 });
    assert.equal(d.destination(), `unix:${path}`);
    await Promise.all([d.write(['{"type":"request"}']), d.write(['{"type":"response"}'])]);
    const got = await daemon.lines(2);
    // local0 (16) * 8 + info (6) = 134; the timestamp is local time, as syslog(3) writes it.
    const at = new Date(AT);
    assert.deepEqual(got, [formatRfc3164(134, at, 'coffer', 4242, '{"type":"request"}'), formatRfc3164(134, at, 'coffer', 4242, '{"type":"response"}')]);
    assert.match(got[0]!, /^<134>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d coffer\[4242\]: /);
    await d.close();
    await daemon.stop();
  });

  it('uses facility AUTH and tag "vault" by default', async () => {
    const path = join(dir, 'default.sock');
    const daemon = await streamDaemon(path);
    const d = await createSyslogAuditDevice(config({}), { devLogPath: path, pid: 7 });
    await d.write(['entry']);
    const [line] = await daemon.lines(1);
    assert.match(line!, /^<38>.* vault\[7\]: entry$/); // auth (4) * 8 + info (6)
    await d.close();
    await daemon.stop();
  });

  it('sends RFC 5424 datagrams to a UDP listener named by the address option', async () => {
    const peer = dgram.createSocket('udp4');
    const got: string[] = [];
    let done: () => void = () => undefined;
    const arrived = new Promise<void>((r) => (done = r));
    peer.on('message', (m) => {
      got.push(m.toString('utf8'));
      if (got.length === 2) done();
    });
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
    const address = `127.0.0.1:${peer.address().port}`;
    const d = await createSyslogAuditDevice(config({ address, facility: 'AUTH', tag: 'vault' }), {
      devLogPath: join(dir, 'ignored.sock'),
      clock: createManualClock(AT),
      hostname: 'node-1',
      pid: 99,
    });
    assert.equal(d.destination(), `udp:${address}`);
    await d.write(['first', 'second']);
    await arrived;
    assert.deepEqual(got, ['<38>1 2026-01-02T03:04:05.678Z node-1 vault 99 - - first', '<38>1 2026-01-02T03:04:05.678Z node-1 vault 99 - - second']);
    await d.close();
    peer.close();
  });

  it('refuses to be created, saying syslog is not reachable, when /dev/log is missing and no address is given', async () => {
    await assert.rejects(
      createSyslogAuditDevice(config({}), { devLogPath: join(dir, 'missing.sock') }),
      (e: unknown) => isCofferError(e) && e.code === 'invalid_request' && /syslog is not reachable/.test(e.message) && /address/.test(e.message),
    );
  });

  it('refuses to be created when /dev/log is not a socket', async () => {
    const path = join(dir, 'plain-file');
    await writeFile(path, '');
    await assert.rejects(createSyslogAuditDevice(config({}), { devLogPath: path }), (e: unknown) => isCofferError(e) && /not reachable/.test(e.message));
  });

  it('rejects an unknown facility, a tag with spaces and a malformed address', async () => {
    const bad = (e: unknown): boolean => isCofferError(e) && e.code === 'invalid_request';
    await assert.rejects(createSyslogAuditDevice(config({ facility: 'LOCAL9', address: '127.0.0.1:514' })), bad);
    await assert.rejects(createSyslogAuditDevice(config({ tag: 'two words', address: '127.0.0.1:514' })), bad);
    await assert.rejects(createSyslogAuditDevice(config({ address: 'localhost' })), bad);
  });

  it('computes the priority from the facility name in any case', () => {
    assert.equal(syslogPriority('auth'), 38);
    assert.equal(syslogPriority('LOCAL7'), 23 * 8 + 6);
    assert.equal(syslogPriority('kern'), 6);
  });

  it('rejects writes after close', async () => {
    const path = join(dir, 'closing.sock');
    const daemon = await streamDaemon(path);
    const d = await createSyslogAuditDevice(config({}), { devLogPath: path });
    await d.close();
    await assert.rejects(d.write(['late']), /closed/);
    await daemon.stop();
  });
});
