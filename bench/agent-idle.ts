// `npm run bench:agent`: the agent's resident memory. Starts a Coffer dev server, sets up AppRole
// and a KV v2 secret, runs `coffer agent` with AppRole auto-auth, a token sink and one template,
// waits until the template is rendered, then reads the agent's VmRSS at once and again after it
// has sat idle (renewing its token, re-reading the secret on schedule) for --idle seconds. A bare
// `node` process that only waits is measured alongside, as the floor. Saves
// bench/results/<time>-agent-idle.json.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createChildRegistry } from './children.js';
import { startTarget } from './coffer-target.js';
import { createBenchClient } from './http-client.js';
import { readRssKiB } from './proc-stats.js';
import { positiveNumber } from './options.js';
import { findRepoRoot, runEntryPoint } from './repo-root.js';
import { machineInfo, saveNamedResult } from './result.js';

const USAGE = `Usage: npm run bench:agent -- [--idle=SECONDS] [--results-dir=DIR] [--no-save] [--verbose]

  --idle=SECONDS     how long the agent idles before its idle RSS is read (default 15)
  --results-dir=DIR  where the result JSON goes (default bench/results)
  --no-save          print only
`;

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mib = (kib: number | null): string => (kib === null ? '-' : `${(kib / 1024).toFixed(1)} MiB`);

/** Polls until `path` holds `expected` (the agent rendered it); bounded, throws with the agent's output. */
async function waitForFile(path: string, expected: string, output: () => string, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const text = await readFile(path, 'utf8').catch(() => null);
    if (text === expected) return;
    await delay(100);
  }
  throw new Error(`the agent did not render ${path}\n--- its output ---\n${output()}`);
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: { idle: { type: 'string' }, 'results-dir': { type: 'string' }, 'no-save': { type: 'boolean' }, verbose: { type: 'boolean' }, help: { type: 'boolean' } },
    }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  let idleSeconds: number;
  try {
    idleSeconds = positiveNumber('idle', values.idle, 15, true);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const log = (line: string): void => void process.stderr.write(`[agent-idle] ${line}\n`);
  const repo = findRepoRoot();
  const children = createChildRegistry(values.verbose === true ? log : undefined);
  process.once('exit', () => children.killAllNow());
  const dir = await mkdtemp(join(tmpdir(), 'coffer-bench-agent-'));
  try {
    const startedAt = new Date();
    const server = await startTarget(children, { template: null, repo });
    const client = createBenchClient(server.port, server.token);
    await client.call('POST', '/v1/sys/auth/approle', { type: 'approle' });
    await client.call('POST', '/v1/sys/policies/acl/app', { policy: 'path "secret/data/app" { capabilities = ["read"] }' });
    await client.call('POST', '/v1/auth/approle/role/app', { token_policies: ['app'], token_ttl: '1h', token_max_ttl: '24h' });
    await client.call('POST', '/v1/secret/data/app', { data: { password: 'bench-secret' } });
    const roleId = (await client.call('GET', '/v1/auth/approle/role/app/role-id')) as { data: { role_id: string } };
    const secretId = (await client.call('POST', '/v1/auth/approle/role/app/secret-id')) as { data: { secret_id: string } };
    await writeFile(join(dir, 'role_id'), roleId.data.role_id);
    await writeFile(join(dir, 'secret_id'), secretId.data.secret_id);
    const destination = join(dir, 'out.txt');
    const config = {
      vault: { address: `http://127.0.0.1:${server.port}` },
      auto_auth: {
        method: { type: 'approle', config: { role_id_file_path: join(dir, 'role_id'), secret_id_file_path: join(dir, 'secret_id'), remove_secret_id_file_after_reading: false } },
        sink: { type: 'file', config: { path: join(dir, 'token') } },
      },
      template: [{ contents: '{{ with secret "secret/data/app" }}{{ .Data.data.password }}{{ end }}', destination }],
    };
    await writeFile(join(dir, 'agent.json'), JSON.stringify(config));

    const agent = children.spawn('agent', process.execPath, [join(repo, 'bin', 'coffer'), 'agent', `-config=${join(dir, 'agent.json')}`, '-log-level=warn'], { cwd: repo });
    const bare = children.spawn('bare-node', process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { cwd: repo });
    await waitForFile(destination, 'bench-secret', () => agent.output());
    const rendered = { agent: await readRssKiB(agent.pid), bare: await readRssKiB(bare.pid) };
    log(`rendered; agent ${mib(rendered.agent)}, bare node ${mib(rendered.bare)}; idle ${idleSeconds} s`);
    await delay(idleSeconds * 1000);
    const idle = { agent: await readRssKiB(agent.pid), bare: await readRssKiB(bare.pid) };
    if (agent.process.exitCode !== null || agent.process.signalCode !== null) throw new Error(`the agent exited while idle\n${agent.output()}`);

    const result = {
      schemaVersion: 1,
      name: 'agent-idle',
      description: 'coffer agent with AppRole auto-auth, a file sink and one KV v2 template, after rendering and after idling',
      startedAt: startedAt.toISOString(),
      machine: machineInfo(),
      idleSeconds,
      agent: { renderedRssKiB: rendered.agent, idleRssKiB: idle.agent },
      bareNode: { renderedRssKiB: rendered.bare, idleRssKiB: idle.bare },
    };
    process.stdout.write(
      [
        'agent-idle: coffer agent (approle auto-auth, file sink, one template)',
        `  agent RSS after first render: ${mib(rendered.agent)}; after ${idleSeconds} s idle: ${mib(idle.agent)}`,
        `  bare node (waits only):       ${mib(rendered.bare)}; after ${idleSeconds} s idle: ${mib(idle.bare)}`,
        '',
      ].join('\n'),
    );
    if (values['no-save'] !== true) process.stdout.write(`saved: ${await saveNamedResult(repo, values['results-dir'], startedAt, 'agent-idle', result)}\n`);
    return 0;
  } catch (err) {
    log(`failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await children.stopAll();
    await rm(dir, { recursive: true, force: true });
  }
}

runEntryPoint(main);
