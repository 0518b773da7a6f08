// database-creds: dynamic PostgreSQL credentials (a new role per request) from a throwaway local
// PostgreSQL 15 cluster; compare with `npm run bench:pg-direct`, the same CREATE ROLE sent to
// PostgreSQL directly, to see how much of each issuance is spent inside Coffer.
import type { TestPostgres } from '../../src/testing/index.js';
import { startTestPostgres } from '../../src/testing/index.js';
import type { Scenario } from '../scenario.js';

export const CREATE_ROLE = `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`;

let pg: TestPostgres | undefined;

export const databaseCreds: Scenario = {
  name: 'database-creds',
  description: 'GET database/creds/bench: a new PostgreSQL role per request (CREATE ROLE … VALID UNTIL), leased for 1h',
  async setup(client) {
    pg = await startTestPostgres();
    await client.call('POST', '/v1/sys/mounts/database', { type: 'database' });
    await client.call('POST', '/v1/database/config/pg', {
      plugin_name: 'postgresql-database-plugin',
      connection_url: pg.templatedUrl,
      username: pg.user,
      password: pg.password,
      allowed_roles: ['bench'],
      max_open_connections: 16,
    });
    await client.call('POST', '/v1/database/roles/bench', { db_name: 'pg', creation_statements: [CREATE_ROLE], default_ttl: '1h', max_ttl: '24h' });
    return undefined;
  },
  request: ({ token }) => ({ method: 'GET', path: '/v1/database/creds/bench', headers: { 'X-Vault-Token': token } }),
  async teardown() {
    await pg?.close();
    pg = undefined;
  },
};
