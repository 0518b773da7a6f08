// testing/databases: throwaway PostgreSQL and MariaDB servers on 127.0.0.1 for tests.
export * from './postgres-server.js';
export * from './mariadb-server.js';
export { freePort } from './process-utils.js';
