// The template engine `coffer agent` uses when the caller passes none: the Go text/template
// engine in ../template/, loaded only when a config has templates (it is the agent's largest part).

import type { TemplateRenderer } from './renderer.js';

/** Resolves with the built-in Go template engine's renderer. */
export async function loadDefaultRenderer(): Promise<TemplateRenderer | undefined> {
  const { createGoTemplateRenderer } = await import('./go-template-renderer.js');
  return createGoTemplateRenderer();
}
