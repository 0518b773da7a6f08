// Runs the real child scripts (bare server, fake Coffer) on 127.0.0.1, without load.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createChildRegistry } from './children.js';
import { mirroredHeaders, startBareServer } from './child-scripts.js';
import { startTarget } from './coffer-target.js';
import { createBenchClient, sendRequest } from './http-client.js';
import { kvV1Read } from './scenarios/kv-v1-read.js';

const fakeCoffer = fileURLToPath(new URL('./fake-coffer.js', import.meta.url));

void describe('child scripts', () => {
  void it('leaves per-connection headers for the bare server to set itself', () => {
    assert.deepEqual(mirroredHeaders({ 'content-type': 'application/json', date: 'x', 'Content-Length': '3', connection: 'keep-alive' }), {
      'content-type': 'application/json',
    });
  });

  void it('runs a bare server that repeats the sampled status, headers and body byte for byte', async () => {
    const children = createChildRegistry();
    try {
      const body = Buffer.from('{"data":{"value":"é"}}');
      const bare = await startBareServer(children, { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body });
      for (const method of ['GET', 'POST']) {
        const reply = await sendRequest(bare.port, { method, path: '/v1/anything', ...(method === 'POST' ? { body: '{}' } : {}) });
        assert.equal(reply.status, 200);
        assert.deepEqual(reply.body, body);
        assert.equal(reply.headers['cache-control'], 'no-store');
      }
    } finally {
      await children.stopAll();
    }
  });

  void it('sets up kv-v1-read on a stand-in target and then reads the secret with the root token', async () => {
    const children = createChildRegistry();
    try {
      const target = await startTarget(children, { template: `node ${fakeCoffer}`, repo: process.cwd() });
      assert.doesNotMatch(target.commandLine, new RegExp(target.token));
      const vars = (await kvV1Read.setup(createBenchClient(target.port, target.token))) ?? {};
      const reply = await sendRequest(target.port, kvV1Read.request({ token: target.token, vars }));
      assert.equal(reply.status, 200);
      const parsed = JSON.parse(reply.body.toString('utf8')) as { data: { value: string } };
      assert.match(parsed.data.value, /^[A-Za-z0-9]{64}$/);
      const denied = await sendRequest(target.port, kvV1Read.request({ token: 'wrong', vars }));
      assert.equal(denied.status, 403);
    } finally {
      await children.stopAll();
    }
  });

  void it('stops every child it started', async () => {
    const children = createChildRegistry();
    const target = await startTarget(children, { template: `node ${fakeCoffer}`, repo: process.cwd() });
    await children.stopAll();
    await target.child.exited;
    assert.throws(() => process.kill(target.child.pid, 0), { code: 'ESRCH' });
  });
});
