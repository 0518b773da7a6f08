// A template's `user` and `group` (consul-template): names or numeric ids, resolved through the
// system's account databases (/etc/passwd, /etc/group) when the file is written.

import { readFile } from 'node:fs/promises';

export interface FileOwner {
  /** -1 leaves the owner as it is. */
  uid: number;
  /** -1 leaves the group as it is. */
  gid: number;
}

/** The id of `nameOrId` in a passwd/group-format `db` (name:x:id:…), or undefined. */
export function lookupId(db: string, nameOrId: string): number | undefined {
  if (/^\d+$/.test(nameOrId)) return Number(nameOrId);
  for (const line of db.split('\n')) {
    const [name, , id] = line.split(':');
    if (name === nameOrId && id !== undefined && /^\d+$/.test(id)) return Number(id);
  }
  return undefined;
}

/** Resolves `user`/`group` (either may be absent); throws naming the one that does not exist. */
export async function resolveOwner(user: string | undefined, group: string | undefined, files = { passwd: '/etc/passwd', group: '/etc/group' }): Promise<FileOwner> {
  const find = async (what: 'user' | 'group', value: string | undefined): Promise<number> => {
    if (value === undefined || value === '') return -1;
    const db = /^\d+$/.test(value) ? '' : await readFile(what === 'user' ? files.passwd : files.group, 'utf8').catch(() => '');
    const id = lookupId(db, value);
    if (id === undefined) throw new Error(`unknown ${what} ${JSON.stringify(value)}`);
    return id;
  };
  return { uid: await find('user', user), gid: await find('group', group) };
}
