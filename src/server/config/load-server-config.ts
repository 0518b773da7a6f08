// Reads server config from files and directories (like `vault server -config=...`) and merges them.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CofferError } from '../../shared/index.js';
import { mergeConfigFragments } from './merge-server-config.js';
import { parseConfigFragment } from './parse-server-config.js';
import type { ServerConfig } from './types.js';

/**
 * Loads and merges configs. Each path is a file, or a directory whose `*.hcl` and `*.json`
 * files (not hidden ones) are read in name order. Later files override scalar settings and
 * storage; listeners and seals accumulate. Unreadable paths throw invalid_request naming the path.
 */
export async function loadServerConfig(paths: readonly string[]): Promise<ServerConfig> {
  const fragments = [];
  for (const path of paths) {
    for (const file of await expandPath(path)) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new CofferError('invalid_request', `${file}: cannot read config file: ${fsReason(e)}`);
      }
      fragments.push(parseConfigFragment(text, file));
    }
  }
  return mergeConfigFragments(fragments);
}

async function expandPath(path: string): Promise<string[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    throw new CofferError('invalid_request', `${path}: cannot read config: ${fsReason(e)}`);
  }
  if (!isDir) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((e) => !e.isDirectory() && !e.name.startsWith('.') && /\.(hcl|json)$/i.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => join(path, name));
}

function fsReason(e: unknown): string {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') {
    if (e.code === 'ENOENT') return 'no such file or directory';
    if (e.code === 'EACCES') return 'permission denied';
    return e.code;
  }
  return 'unknown error';
}
