// server/: the composition root. Config parsing, the plugin registry, start-up and listeners.
export { runServer, startServer } from './run-server.js';
export type { RunServerOptions, RunningServer } from './run-server.js';
