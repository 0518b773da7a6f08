// Parent side of the child scripts: starts the bare server and the load worker and talks to them
// over IPC, failing fast (with the child's output) when one dies or stays silent.
import { fileURLToPath } from 'node:url';
import type { ChildRegistry, TrackedChild } from './children.js';
import { parseListeningMessage, parseLoadReply } from './ipc-messages.js';
import type { LoadRoundRaw, LoadRunMessage, ServeMessage } from './ipc-messages.js';
import type { HttpReply } from './http-client.js';

const scriptPath = (name: string): string => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** Headers a server computes per response or per connection; the bare server sets its own. */
const NOT_MIRRORED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** The response headers the bare server repeats verbatim, so both responses are the same size. */
export function mirroredHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!NOT_MIRRORED.has(k.toLowerCase())) out[k] = v;
  return out;
}

/**
 * Resolves with the first message `parse` accepts; rejects when the child exits first or after
 * `timeoutMs`, quoting the child's recent output.
 */
function awaitMessage<T>(child: TrackedChild, parse: (m: unknown) => T | null, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = child.process;
    const cleanup = (): void => {
      clearTimeout(timer);
      proc.off('message', onMessage);
      proc.off('exit', onExit);
    };
    const onMessage = (m: unknown): void => {
      const parsed = parse(m);
      if (parsed === null) return;
      cleanup();
      resolve(parsed);
    };
    const onExit = (): void => {
      cleanup();
      reject(new Error(`${child.name} exited while waiting for ${what}\n${child.output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${child.name} did not report ${what} within ${timeoutMs} ms\n${child.output()}`));
    }, timeoutMs);
    proc.on('message', onMessage);
    proc.once('exit', onExit);
  });
}

export interface BareServer {
  readonly child: TrackedChild;
  readonly port: number;
}

/** Starts a bare server that answers every request with `sample` (status, headers, body). */
export async function startBareServer(children: ChildRegistry, sample: HttpReply): Promise<BareServer> {
  const child = children.fork('bare', scriptPath('bare-server.js'));
  const serve: ServeMessage = {
    type: 'serve',
    status: sample.status,
    headers: mirroredHeaders(sample.headers),
    bodyBase64: sample.body.toString('base64'),
  };
  child.process.send(serve);
  const { port } = await awaitMessage(child, parseListeningMessage, 10_000, 'its port');
  return { child, port };
}

export interface LoadRound {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly connections: number;
  readonly durationSeconds: number;
}

export interface LoadGenerator {
  readonly child: TrackedChild;
  /** Runs one round in the worker; rejects if autocannon fails or the worker dies. */
  run(round: LoadRound): Promise<LoadRoundRaw>;
}

export function startLoadGenerator(children: ChildRegistry): LoadGenerator {
  const child = children.fork('load', scriptPath('load-worker.js'));
  let nextId = 1;
  return {
    child,
    async run(round) {
      const id = nextId++;
      const message: LoadRunMessage = { type: 'run', id, ...round };
      child.process.send(message);
      // A round can never legitimately take much longer than its duration plus autocannon's timeout.
      const reply = await awaitMessage(
        child,
        (m) => {
          const r = parseLoadReply(m);
          return r !== null && r.id === id ? r : null;
        },
        (round.durationSeconds + 30) * 1000,
        `round ${id}`,
      );
      if (reply.type === 'error') throw new Error(`load generator: ${reply.message}`);
      return reply.result;
    },
  };
}
