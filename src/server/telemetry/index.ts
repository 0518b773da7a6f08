// server/telemetry: prom-client metrics for the core and storage, and the telemetry stanza.
export type { ServerTelemetry, TelemetryConfig } from './prometheus-telemetry.js';
export { createPrometheusTelemetry } from './prometheus-telemetry.js';
export { instrumentPhysical } from './instrumented-physical.js';
export { telemetryConfig } from './telemetry-config.js';
