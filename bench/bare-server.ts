// Child script: the baseline. A bare node:http server that answers every request with one fixed
// response (status, headers, body) handed over by the harness through IPC, then reports its port.
import { createServer } from 'node:http';
import { parseServeMessage } from './ipc-messages.js';
import type { ListeningMessage } from './ipc-messages.js';

// The harness going away (even by SIGKILL) closes the IPC channel; do not outlive it.
process.on('disconnect', () => process.exit(0));

process.once('message', (raw: unknown) => {
  const msg = parseServeMessage(raw);
  if (msg === null) {
    console.error('bare-server: expected a serve message');
    process.exit(2);
  }
  const body = Buffer.from(msg.bodyBase64, 'base64');
  const headers = { ...msg.headers, 'content-length': String(body.length) };
  const server = createServer((req, res) => {
    // Read the request to its end, as a real handler must, before answering.
    req.resume();
    req.on('end', () => {
      res.writeHead(msg.status, headers);
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') process.exit(2);
    const reply: ListeningMessage = { type: 'listening', port: address.port };
    process.send?.(reply);
  });
});
