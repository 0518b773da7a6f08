// agent/: Vault Agent compatible runtime — auto-auth, sinks, templates, exec, API proxy.
// This file is the layer's one public door (the Go template engine lives in template/).
export { runAgent } from './run-agent.js';
export type { RunAgentOptions } from './run-agent.js';
export { startAgent } from './agent.js';
export type { AgentOptions, RunningAgent } from './agent.js';
export { loadAgentConfig, mergeAgentConfigs } from './config/load-agent-config.js';
export { parseAgentConfig } from './config/parse-agent-config.js';
export type * from './config/types.js';
export type { RenderOptions, TemplateDataSource, TemplateRenderer, TemplateSecret } from './templating/renderer.js';
export { NoSecretError } from './templating/fetch-dependency.js';
export { createFakeTimers, createSystemTimers } from './timers.js';
export type { FakeTimers, TimerHandle, Timers } from './timers.js';
