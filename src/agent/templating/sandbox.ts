// A template's `sandbox_path` (consul-template): the `file` function may only read files inside
// it. The check follows symlinks, so a link inside the sandbox cannot point the read outside.

import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

const inside = (root: string, p: string): boolean => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** Reads `path` for the template `file` function; with a sandbox, refuses paths outside it. */
export async function readTemplateFile(path: string, sandboxPath: string | undefined): Promise<string> {
  if (sandboxPath === undefined || sandboxPath === '') return readFile(path, 'utf8');
  const root = await realpath(resolve(sandboxPath));
  // Relative paths mean what they mean without a sandbox (the agent's working directory).
  const wanted = resolve(path);
  if (!inside(root, wanted)) throw new Error(`'${path}' is outside of sandbox`);
  // Resolve links before reading: a link inside the sandbox may point anywhere.
  const real = await realpath(wanted);
  if (!inside(root, real)) throw new Error(`'${path}' is outside of sandbox`);
  return readFile(real, 'utf8');
}
