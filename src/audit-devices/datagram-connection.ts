// A connected UDP socket for the socket (socket_type=udp) and syslog devices: one datagram per
// message. UDP cannot tell whether anyone received it; a send the kernel refuses rejects.

import * as dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { HostPort } from './device-options.js';

export interface DatagramConnection {
  /** Sends each message as its own datagram, in order; resolves once the kernel accepted them all. */
  send(messages: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export function createDatagramConnection(opts: { target: HostPort; timeoutMs: number }): DatagramConnection {
  const { target, timeoutMs } = opts;
  let socket: dgram.Socket | undefined;

  const drop = (): void => {
    const s = socket;
    socket = undefined;
    if (s !== undefined) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
  };

  const ensure = async (): Promise<dgram.Socket> => {
    if (socket !== undefined) return socket;
    const s = dgram.createSocket(isIPv6(target.host) ? 'udp6' : 'udp4');
    // Asynchronous errors (ICMP "port unreachable") only make the next send start afresh.
    s.on('error', () => {
      if (socket === s) drop();
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      s.once('error', onError);
      s.connect(target.port, target.host, () => {
        s.off('error', onError);
        resolve();
      });
    }).catch((e: unknown) => {
      s.close();
      throw e;
    });
    socket = s;
    return s;
  };

  const sendOne = (s: dgram.Socket, msg: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`send to ${target.host}:${target.port} timed out after ${timeoutMs}ms`)), timeoutMs);
      s.send(msg, (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      });
    });

  return {
    async send(messages) {
      let next = 0; // a retry resumes after the datagrams already accepted
      const attempt = async (): Promise<void> => {
        const s = await ensure();
        for (let m = messages[next]; m !== undefined; m = messages[++next]) await sendOne(s, m);
      };
      try {
        await attempt();
      } catch {
        drop();
        await attempt();
      }
    },
    async close() {
      drop();
    },
  };
}
