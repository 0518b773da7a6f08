// Runs the shared AuditDevice conformance suite against every device: a file, a TCP socket, a
// unix socket and syslog over UDP.

import * as dgram from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../shared/index.js';
import type { OpenedDevice } from './conformance.js';
import { describeAuditDeviceConformance } from './conformance.js';
import { createFileAuditDevice } from './file-device.js';
import { createSocketAuditDevice } from './socket-device.js';
import { createSyslogAuditDevice } from './syslog-device.js';

/** Resolves `recorded(n)` from a growing list of received lines. */
function lineWaiter(lines: () => string[]): { recorded: (n: number) => Promise<string[]>; notify: () => void } {
  const waiters: (() => void)[] = [];
  return {
    recorded: (n) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (lines().length >= n) resolve(lines());
          else waiters.push(check);
        };
        check();
      }),
    notify: () => {
      for (const w of waiters.splice(0)) w();
    },
  };
}

/** A stream listener collecting newline-framed lines. */
async function streamPeer(
  listen: (s: net.Server, ready: () => void) => void,
): Promise<{ server: net.Server; recorded: (n: number) => Promise<string[]>; stop: () => Promise<void> }> {
  let data = '';
  const conns = new Set<net.Socket>();
  const w = lineWaiter(() => data.split('\n').slice(0, -1));
  const server = net.createServer((c) => {
    conns.add(c);
    c.setEncoding('utf8');
    c.on('data', (chunk: string) => {
      data += chunk;
      w.notify();
    });
  });
  await new Promise<void>((r) => listen(server, r));
  return {
    server,
    recorded: w.recorded,
    stop: () =>
      new Promise((resolve) => {
        for (const c of conns) c.destroy();
        server.close(() => resolve());
      }),
  };
}

describeAuditDeviceConformance('file', async (): Promise<OpenedDevice> => {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-audit-conf-'));
  const path = join(dir, 'audit.log');
  const device = await createFileAuditDevice({ path: 'file/', options: { file_path: path }, logger: silentLogger });
  return {
    device,
    // A resolved write is in the file already.
    recorded: async () => (await readFile(path, 'utf8')).split('\n').slice(0, -1),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describeAuditDeviceConformance('socket (tcp)', async (): Promise<OpenedDevice> => {
  const peer = await streamPeer((s, r) => s.listen(0, '127.0.0.1', r));
  const port = (peer.server.address() as net.AddressInfo).port;
  const device = await createSocketAuditDevice({ path: 'socket/', options: { address: `127.0.0.1:${port}`, socket_type: 'tcp' }, logger: silentLogger });
  return { device, recorded: peer.recorded, cleanup: peer.stop };
});

describeAuditDeviceConformance('socket (unix)', async (): Promise<OpenedDevice> => {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-audit-conf-'));
  const path = join(dir, 'audit.sock');
  const peer = await streamPeer((s, r) => s.listen(path, r));
  const device = await createSocketAuditDevice({ path: 'socket/', options: { address: path, socket_type: 'unix' }, logger: silentLogger });
  return {
    device,
    recorded: peer.recorded,
    cleanup: async () => {
      await peer.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeAuditDeviceConformance('syslog (udp)', async (): Promise<OpenedDevice> => {
  const messages: string[] = [];
  const w = lineWaiter(() => messages);
  const peer = dgram.createSocket('udp4');
  // Loopback UDP keeps order for one sender; the payload is what follows the RFC 5424 header.
  peer.on('message', (m) => {
    messages.push(m.toString('utf8').replace(/^<\d+>1 \S+ \S+ \S+ \S+ - - /, ''));
    w.notify();
  });
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
  const dir = await mkdtemp(join(tmpdir(), 'coffer-audit-conf-'));
  const device = await createSyslogAuditDevice(
    { path: 'syslog/', options: { address: `127.0.0.1:${peer.address().port}` }, logger: silentLogger },
    { devLogPath: join(dir, 'no-dev-log') },
  );
  return {
    device,
    recorded: w.recorded,
    cleanup: async () => {
      peer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
