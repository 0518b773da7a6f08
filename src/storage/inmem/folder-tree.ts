// FolderTree: the key hierarchy as nested folders, so listing a folder touches only its children.

import { compareKeys } from '../keys.js';

interface Folder {
  leaves: Set<string>;
  folders: Map<string, Folder>;
}

const newFolder = (): Folder => ({ leaves: new Set(), folders: new Map() });

export interface FolderTree {
  add(key: string): void;
  remove(key: string): void;
  /** The sorted list entries under `prefix`, with Vault's plain-string-prefix semantics. */
  list(prefix: string): string[];
}

export function createFolderTree(): FolderTree {
  const root = newFolder();

  return {
    add(key) {
      const parts = key.split('/');
      let node = root;
      for (let i = 0; i < parts.length - 1; i++) {
        const name = parts[i]!;
        let child = node.folders.get(name);
        if (!child) {
          child = newFolder();
          node.folders.set(name, child);
        }
        node = child;
      }
      node.leaves.add(parts[parts.length - 1]!);
    },

    remove(key) {
      const parts = key.split('/');
      const path: Folder[] = [root];
      for (let i = 0; i < parts.length - 1; i++) {
        const child = path[path.length - 1]!.folders.get(parts[i]!);
        if (!child) return;
        path.push(child);
      }
      path[path.length - 1]!.leaves.delete(parts[parts.length - 1]!);
      // Prune folders left empty so they stop showing up in lists.
      for (let i = path.length - 1; i > 0; i--) {
        const f = path[i]!;
        if (f.leaves.size > 0 || f.folders.size > 0) break;
        path[i - 1]!.folders.delete(parts[i - 1]!);
      }
    },

    list(prefix) {
      const cut = prefix.lastIndexOf('/');
      const dirParts = cut < 0 ? [] : prefix.slice(0, cut).split('/');
      // The part of the prefix after the last '/' filters names within that folder.
      const partial = prefix.slice(cut + 1);
      let node: Folder | undefined = root;
      for (const p of dirParts) {
        node = node.folders.get(p);
        if (!node) return [];
      }
      const out: string[] = [];
      for (const name of node.leaves) if (name.startsWith(partial)) out.push(name.slice(partial.length));
      for (const name of node.folders.keys()) if (name.startsWith(partial)) out.push(name.slice(partial.length) + '/');
      return out.sort(compareKeys);
    },
  };
}
