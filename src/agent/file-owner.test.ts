import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lookupId, resolveOwner } from './file-owner.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\napp:x:1001:1001::/home/app:/bin/sh\n';
const GROUP = 'root:x:0:\nwww-data:x:33:\nsecrets:x:2001:app\n';

describe('template file owner', () => {
  it('finds names in passwd/group text and takes numeric ids as they are', () => {
    assert.equal(lookupId(PASSWD, 'app'), 1001);
    assert.equal(lookupId(PASSWD, 'www-data'), 33);
    assert.equal(lookupId(GROUP, 'secrets'), 2001);
    assert.equal(lookupId('', '4242'), 4242);
    assert.equal(lookupId(PASSWD, 'ap'), undefined);
  });

  it('resolves user and group, leaving an absent one as -1, and names an unknown one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-owner-'));
    const files = { passwd: join(dir, 'passwd'), group: join(dir, 'group') };
    writeFileSync(files.passwd, PASSWD);
    writeFileSync(files.group, GROUP);
    assert.deepEqual(await resolveOwner('app', 'secrets', files), { uid: 1001, gid: 2001 });
    assert.deepEqual(await resolveOwner(undefined, 'www-data', files), { uid: -1, gid: 33 });
    assert.deepEqual(await resolveOwner('7', undefined, files), { uid: 7, gid: -1 });
    await assert.rejects(resolveOwner('nobody-here', undefined, files), /unknown user "nobody-here"/);
    await assert.rejects(resolveOwner(undefined, 'staff', files), /unknown group "staff"/);
  });
});
