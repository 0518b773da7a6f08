// server/logging: the pino-based server logger and its run-time level control.
export type { ServerLogging } from './pino-logger.js';
export { createServerLogging } from './pino-logger.js';
