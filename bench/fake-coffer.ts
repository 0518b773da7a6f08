// A stand-in for Coffer's dev server, for testing the harness before (or without) the real one:
// it takes the same dev flags and answers sys/health, sys/mounts and KV v1 reads/writes in memory.
//   node dist/bench/fake-coffer.js server -dev -dev-root-token-id=T -dev-listen-address=127.0.0.1:P
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

function flag(name: string): string | undefined {
  const prefix = `-${name}=`;
  return process.argv.find((a) => a.startsWith(prefix) || a.startsWith(`-${prefix}`))?.split('=').slice(1).join('=');
}

const token = flag('dev-root-token-id') ?? 'root';
const listen = flag('dev-listen-address') ?? '127.0.0.1:8200';
const [host = '127.0.0.1', portText = '8200'] = listen.split(':');

const mounts = new Set<string>();
const secrets = new Map<string, unknown>();

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status, { 'cache-control': 'no-store' });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'cache-control': 'no-store',
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text === '' ? {} : (JSON.parse(text) as unknown));
      } catch {
        resolve(undefined);
      }
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const method = req.method ?? 'GET';
  if (path === '/v1/sys/health') {
    send(res, 200, { initialized: true, sealed: false, standby: false, version: '0.0.0-fake', cluster_name: 'fake' });
    return;
  }
  if (req.headers['x-vault-token'] !== token) {
    send(res, 403, { errors: ['permission denied'] });
    return;
  }
  const write = method === 'POST' || method === 'PUT';
  const body = write ? await readBody(req) : undefined;
  if (write && body === undefined) {
    send(res, 400, { errors: ['failed to parse JSON input'] });
    return;
  }
  if (path.startsWith('/v1/sys/mounts/') && write) {
    mounts.add(path.slice('/v1/sys/mounts/'.length).replace(/\/$/, ''));
    send(res, 204);
    return;
  }
  const rest = path.slice('/v1/'.length);
  const mount = [...mounts].find((m) => rest.startsWith(`${m}/`));
  if (mount === undefined) {
    send(res, 404, { errors: [`no handler for route "${rest}"`] });
    return;
  }
  if (write) {
    secrets.set(rest, body);
    send(res, 204);
  } else if (method === 'GET') {
    const data = secrets.get(rest);
    if (data === undefined) send(res, 404, { errors: [] });
    else
      send(res, 200, {
        request_id: randomUUID(),
        lease_id: '',
        renewable: false,
        lease_duration: 2764800,
        data,
        wrap_info: null,
        warnings: null,
        auth: null,
        mount_type: 'kv',
      });
  } else {
    send(res, 405, { errors: [] });
  }
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => send(res, 500, { errors: ['internal error'] }));
});
server.listen(Number(portText), host, () => process.stdout.write(`fake coffer listening on ${listen}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
