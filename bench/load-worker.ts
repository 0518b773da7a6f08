// Child script: the load generator. Runs autocannon rounds on request over IPC, in a process of
// its own so it neither shares an event loop with a server nor skews a server's memory figures.
import autocannon from 'autocannon';
import { createHistogram } from './histogram.js';
import { parseLoadRunMessage } from './ipc-messages.js';
import type { LoadReplyMessage, LoadRunMessage } from './ipc-messages.js';

process.on('disconnect', () => process.exit(0));

function reply(message: LoadReplyMessage): void {
  process.send?.(message);
}

function runRound(msg: LoadRunMessage): void {
  const latency = createHistogram();
  const options: autocannon.Options = {
    url: msg.url,
    method: msg.method,
    headers: { ...msg.headers },
    connections: msg.connections,
    duration: msg.durationSeconds,
    pipelining: 1,
    timeout: 10,
    // "[<id>]" in a scenario's path or body becomes a unique id per request (distinct keys).
    idReplacement: true,
    ...(msg.body === null ? {} : { body: msg.body }),
  };
  const instance = autocannon(options, (err, result) => {
    if (err !== null) {
      reply({ type: 'error', id: msg.id, message: err.message });
      return;
    }
    const statusCounts: Record<string, number> = {};
    for (const [code, stat] of Object.entries(result.statusCodeStats)) statusCounts[code] = stat.count;
    reply({
      type: 'result',
      id: msg.id,
      result: {
        requests: result.requests.total,
        durationSeconds: result.duration,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statusCounts,
        latency: latency.serialize(),
      },
    });
  });
  // autocannon's own histogram keeps whole milliseconds; ours keeps microseconds.
  instance.on('response', (_client, _status, _bytes, responseTimeMs) => latency.recordMs(responseTimeMs));
}

process.on('message', (raw: unknown) => {
  const msg = parseLoadRunMessage(raw);
  if (msg === null) {
    console.error('load-worker: ignoring a malformed message');
    return;
  }
  try {
    runRound(msg);
  } catch (err) {
    reply({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
  }
});
