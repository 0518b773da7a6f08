// testing/: helpers for tests (in-process servers, raw HTTP). Not used by production code.
export * from './http-client.js';
export * from './test-server.js';
export * from './server-process.js';
export * from './tls-fixture.js';
export * from './leasing-engine.js';
export * from './databases/index.js';
