// A reconnecting stream connection (TCP or unix socket) for the socket and syslog devices: it
// connects on first use, notices when the peer goes away, and on a failed or timed-out write
// reconnects once and retries before giving up.

import * as net from 'node:net';
import type { Logger } from '../shared/index.js';

export type StreamTarget = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

export interface StreamConnection {
  /**
   * Writes `data` to the connection, resolving once Node handed it to the kernel. On failure or
   * after `timeoutMs` the connection is dropped and the write retried once on a new one. A retry
   * after a partial write may deliver some bytes twice (at-least-once, like Vault's device).
   */
  send(data: string): Promise<void>;
  /** Opens the connection now (used where reachability decides whether a device can exist). */
  connect(): Promise<void>;
  close(): Promise<void>;
}

export function describeTarget(t: StreamTarget): string {
  return t.kind === 'unix' ? t.path : `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
}

export function createStreamConnection(opts: { target: StreamTarget; timeoutMs: number; logger: Logger }): StreamConnection {
  const { target, timeoutMs, logger } = opts;
  let socket: net.Socket | undefined;

  const drop = (s: net.Socket): void => {
    if (socket === s) socket = undefined;
    s.destroy();
  };

  const open = (): Promise<net.Socket> =>
    new Promise((resolve, reject) => {
      const s = target.kind === 'unix' ? net.connect({ path: target.path }) : net.connect({ host: target.host, port: target.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`connecting to ${describeTarget(target)} timed out`));
      }, timeoutMs);
      const onError = (e: Error): void => {
        clearTimeout(timer);
        s.destroy();
        reject(e);
      };
      s.once('error', onError);
      s.once('connect', () => {
        clearTimeout(timer);
        s.off('error', onError);
        s.setNoDelay(true);
        // The peer closing or failing makes the next write reconnect instead of writing into a void.
        const lost = (why: string): void => {
          if (socket !== s) return;
          socket = undefined;
          s.destroy();
          logger.warn({ address: describeTarget(target), reason: why }, 'audit socket connection lost');
        };
        s.on('error', (e) => lost(e.message));
        s.on('end', () => lost('closed by peer'));
        s.on('close', () => lost('closed'));
        // We never expect data; reading keeps 'end' observable.
        s.on('data', () => undefined);
        resolve(s);
      });
    });

  const ensure = async (): Promise<net.Socket> => {
    if (socket !== undefined && !socket.destroyed) return socket;
    socket = await open();
    return socket;
  };

  const writeOnce = async (data: string): Promise<void> => {
    const s = await ensure();
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: Error | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        s.off('close', onClose);
        if (err) {
          drop(s);
          reject(err);
        } else resolve();
      };
      const onClose = (): void => finish(new Error('connection closed during write'));
      const timer = setTimeout(() => finish(new Error(`write to ${describeTarget(target)} timed out after ${timeoutMs}ms`)), timeoutMs);
      s.once('close', onClose);
      s.write(data, (err) => finish(err));
    });
  };

  return {
    async send(data) {
      try {
        await writeOnce(data);
      } catch (first) {
        logger.warn({ address: describeTarget(target), error: first instanceof Error ? first.message : String(first) }, 'audit socket write failed; reconnecting');
        await writeOnce(data);
      }
    },
    async connect() {
      await ensure();
    },
    async close() {
      const s = socket;
      socket = undefined;
      if (s === undefined || s.destroyed) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          s.destroy();
          resolve();
        }, timeoutMs);
        s.end(() => {
          clearTimeout(timer);
          s.destroy();
          resolve();
        });
      });
    },
  };
}
