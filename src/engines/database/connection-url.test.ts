// Specification of connection string parsing, redaction for read-back, and error scrubbing.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMySqlConnection, parsePostgresConnection, redactConnectionUrl } from './connection-url.js';
import { scrubSecrets } from './scrub.js';

const creds = { username: 'admin', password: 'p@ss:w/rd%' };

describe('PostgreSQL connection strings', () => {
  it('fills templated credentials without escaping problems', () => {
    const t = parsePostgresConnection('postgresql://{{username}}:{{password}}@db.local:6543/app?sslmode=disable', creds);
    assert.deepEqual({ ...t }, { host: 'db.local', port: 6543, database: 'app', user: 'admin', password: 'p@ss:w/rd%' });
  });

  it('uses the configured credentials when the URL has none, and defaults port and database', () => {
    const t = parsePostgresConnection('postgres://127.0.0.1', creds);
    assert.equal(t.user, 'admin');
    assert.equal(t.port, 5432);
    assert.equal(t.database, 'postgres');
  });

  it('reads key=value strings and sslmode', () => {
    const t = parsePostgresConnection("host=h port=5 user={{username}} password='{{password}}' dbname=d sslmode=require", creds);
    assert.equal(t.host, 'h');
    assert.equal(t.port, 5);
    assert.equal(t.password, creds.password);
    assert.equal(t.tls, 'require');
  });

  it('rejects what is neither a URL nor key=value pairs', () => {
    assert.throws(() => parsePostgresConnection('not a url', creds), /invalid connection_url/);
  });
});

describe('MySQL connection strings', () => {
  it('reads Go driver DSNs with templated credentials', () => {
    const t = parseMySqlConnection('{{username}}:{{password}}@tcp(10.0.0.1:3307)/app?tls=skip-verify', creds);
    assert.deepEqual({ ...t }, { host: '10.0.0.1', port: 3307, database: 'app', user: 'admin', password: creds.password, tls: 'require' });
  });

  it('reads unix sockets and mysql:// URLs', () => {
    assert.equal(parseMySqlConnection('u:p@unix(/run/mysqld.sock)/', creds).socketPath, '/run/mysqld.sock');
    const u = parseMySqlConnection('mysql://{{username}}:{{password}}@h:1/x', creds);
    assert.equal(u.port, 1);
    assert.equal(u.password, creds.password);
  });
});

describe('redaction and scrubbing', () => {
  it('masks literal passwords in every connection string form and keeps placeholders', () => {
    assert.equal(redactConnectionUrl('postgresql://u:secret@h/db'), 'postgresql://u:*****@h/db');
    assert.equal(redactConnectionUrl('postgresql://{{username}}:{{password}}@h/db'), 'postgresql://{{username}}:{{password}}@h/db');
    assert.equal(redactConnectionUrl('u:secret@tcp(h:1)/'), 'u:*****@tcp(h:1)/');
    assert.equal(redactConnectionUrl('{{username}}:{{password}}@tcp(h:1)/'), '{{username}}:{{password}}@tcp(h:1)/');
    assert.equal(redactConnectionUrl('host=h password=secret user=u'), 'host=h password=***** user=u');
  });

  it('scrubs secrets raw and URL-encoded, and credentials inside URLs', () => {
    const msg = scrubSecrets(`failed for p@ss:w/rd% (p%40ss%3Aw%2Frd%25) at postgres://x:other@h`, [creds.password]);
    assert.ok(!msg.includes('p@ss') && !msg.includes('p%40ss') && !msg.includes('other'), msg);
  });
});
