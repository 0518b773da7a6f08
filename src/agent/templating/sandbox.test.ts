import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { createGoTemplateRenderer } from './go-template-renderer.js';
import { readTemplateFile } from './sandbox.js';

describe('template sandbox_path', () => {
  const root = mkdtempSync(join(tmpdir(), 'coffer-sandbox-'));
  const sandbox = join(root, 'sandbox');
  mkdirSync(join(sandbox, 'conf'), { recursive: true });
  writeFileSync(join(sandbox, 'conf', 'a.txt'), 'inside');
  writeFileSync(join(root, 'secret.txt'), 'outside');
  symlinkSync(join(root, 'secret.txt'), join(sandbox, 'link.txt'));

  it('reads files inside the sandbox; relative paths are taken from the working directory', async () => {
    assert.equal(await readTemplateFile(join(sandbox, 'conf', 'a.txt'), sandbox), 'inside');
    assert.equal(await readTemplateFile(relative(process.cwd(), join(sandbox, 'conf', 'a.txt')), sandbox), 'inside');
  });

  it('refuses paths outside it, by .. or absolute path or through a symlink', async () => {
    await assert.rejects(readTemplateFile(join(root, 'secret.txt'), sandbox), /is outside of sandbox/);
    await assert.rejects(readTemplateFile(relative(process.cwd(), join(root, 'secret.txt')), sandbox), /is outside of sandbox/);
    await assert.rejects(readTemplateFile(join(sandbox, 'conf', '..', '..', 'secret.txt'), sandbox), /is outside of sandbox/);
    await assert.rejects(readTemplateFile(join(sandbox, 'link.txt'), sandbox), /is outside of sandbox/);
  });

  it('reads anywhere without a sandbox', async () => {
    assert.equal(await readTemplateFile(join(root, 'secret.txt'), undefined), 'outside');
  });

  it('applies to the template file function', async () => {
    const renderer = createGoTemplateRenderer();
    const source = { secret: () => Promise.reject(new Error('unused')), list: () => Promise.resolve([]) };
    const opts = { name: 'out', leftDelim: '{{', rightDelim: '}}', missingKey: 'zero' as const, env: {}, sandboxPath: sandbox };
    assert.equal(await renderer.render(`{{ file "${join(sandbox, 'conf', 'a.txt')}" }}`, opts, source), 'inside');
    await assert.rejects(renderer.render(`{{ file "${join(root, 'secret.txt')}" }}`, opts, source), /outside of sandbox/);
  });
});
