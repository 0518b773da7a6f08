// Runs a template's `command` after its file changed: a string goes through /bin/sh -c, an array
// is exec'd directly (no shell). Killed after the timeout; failures are reported, not thrown.

import { spawn } from 'node:child_process';

export type CommandRunner = (command: string | readonly string[], timeoutMs: number) => Promise<{ code: number | null; error?: string }>;

export const runCommand: CommandRunner = (command, timeoutMs) =>
  new Promise((resolve) => {
    const argv = typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command];
    const [file, ...args] = argv;
    if (file === undefined) return resolve({ code: null, error: 'empty command' });
    const child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, error: e.message });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal !== null ? { code: null, error: `killed by ${signal}` } : { code });
    });
  });
