// Tests of body reading (size limit over real sockets) and of body/query decoding into data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { CofferError } from '../shared/index.js';
import { parseBodyData, parseQueryData, readBody } from './request-body.js';

const LIMIT = 64 * 1024;

/** Sends raw bytes on a fresh connection; resolves with everything read until the server closes or `until` matches. */
function exchange(port: number, write: (s: net.Socket) => void, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => write(s));
    let out = '';
    s.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (until.test(out)) {
        s.destroy();
        resolve(out);
      }
    });
    s.on('error', (e) => (until.test(out) ? resolve(out) : reject(e)));
    s.on('close', () => resolve(out));
  });
}

describe('readBody', () => {
  let server: http.Server;
  let port = 0;
  const outcomes: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      readBody(req, LIMIT).then(
        (body) => {
          outcomes.push(`ok ${body.length}`);
          res.end(`len=${body.length}`);
        },
        (e: unknown) => {
          const code = e instanceof CofferError ? e.code : 'other';
          outcomes.push(code);
          res.writeHead(code === 'payload_too_large' ? 413 : 400, { Connection: 'close' });
          res.end(e instanceof Error ? e.message : '');
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('reads a Content-Length body and a chunked body within the limit on one keep-alive connection', async () => {
    const body = 'x'.repeat(1000);
    const out = await exchange(
      port,
      (s) =>
        s.write(
          `POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
            'POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n' +
            'GET /c HTTP/1.1\r\nHost: x\r\n\r\n',
        ),
      /len=1000[\s\S]*len=5[\s\S]*len=0/,
    );
    assert.match(out, /len=1000[\s\S]*len=5[\s\S]*len=0/);
  });

  it('accepts a body of exactly the limit', async () => {
    const out = await exchange(
      port,
      (s) => s.write(`POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: ${LIMIT}\r\n\r\n${'y'.repeat(LIMIT)}`),
      new RegExp(`len=${LIMIT}`),
    );
    assert.match(out, /200 OK/);
  });

  it('rejects from Content-Length alone, before any body byte is sent', async () => {
    const out = await exchange(
      port,
      (s) => s.write(`POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: ${40 * 1024 * 1024}\r\n\r\n`),
      /request body too large/,
    );
    assert.match(out, /^HTTP\/1.1 413 /);
    assert.match(out, /http: request body too large/);
  });

  it('rejects a chunked body as soon as it passes the limit, while the client is still sending', async () => {
    let sent = 0;
    const out = await exchange(
      port,
      (s) => {
        s.write('POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
        const chunk = `4000\r\n${'z'.repeat(0x4000)}\r\n`;
        // Keep sending (up to 40 MiB) until the server answers; the answer must come long before.
        const pump = (): void => {
          while (!s.destroyed && sent < 40 * 1024 * 1024) {
            sent += 0x4000;
            if (!s.write(chunk)) {
              s.once('drain', pump);
              return;
            }
          }
        };
        pump();
        s.on('error', () => undefined);
      },
      /request body too large/,
    );
    assert.match(out, /^HTTP\/1.1 413 /);
    assert.ok(sent < 40 * 1024 * 1024, 'the server answered before the client finished');
  });

  it('keeps serving new connections after rejecting oversized bodies', async () => {
    const out = await exchange(port, (s) => s.write('POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi'), /len=2/);
    assert.match(out, /200 OK/);
    assert.ok(outcomes.includes('payload_too_large'));
  });
});

describe('parseBodyData', () => {
  const invalid = (body: string | Buffer, ct: string | undefined, msg: RegExp): void => {
    assert.throws(
      () => parseBodyData(typeof body === 'string' ? Buffer.from(body) : body, ct),
      (e: unknown) => e instanceof CofferError && e.code === 'invalid_request' && msg.test(e.message),
    );
  };

  it('returns undefined for an empty or whitespace-only body and for JSON null', () => {
    assert.equal(parseBodyData(Buffer.alloc(0), 'application/json'), undefined);
    assert.equal(parseBodyData(Buffer.from(' \n'), undefined), undefined);
    assert.equal(parseBodyData(Buffer.from('null'), undefined), undefined);
  });

  it('parses a JSON object whatever the content type says', () => {
    assert.deepEqual(parseBodyData(Buffer.from('{"a":1,"b":{"c":[true]}}'), undefined), { a: 1, b: { c: [true] } });
    assert.deepEqual(parseBodyData(Buffer.from('{"a":"x"}'), 'text/plain'), { a: 'x' });
  });

  it('parses a form only when the content type declares one, joining repeated keys with commas', () => {
    assert.deepEqual(parseBodyData(Buffer.from('a=1&b=x+y&a=2&c=%2F'), 'application/x-www-form-urlencoded'), {
      a: '1,2',
      b: 'x y',
      c: '/',
    });
    assert.deepEqual(parseBodyData(Buffer.from('a=1'), 'Application/X-WWW-Form-Urlencoded; charset=utf-8'), { a: '1' });
    invalid('a=1', 'application/json', /^failed to parse JSON input: /);
  });

  it('parses JSON even when declared as a form if the body starts with { or [ after whitespace', () => {
    assert.deepEqual(parseBodyData(Buffer.from(' \r\n {"a":"b"}'), 'application/x-www-form-urlencoded'), { a: 'b' });
    invalid(' [1]', 'application/x-www-form-urlencoded', /expected a JSON object, got array/);
  });

  it('keeps a __proto__ key as plain data', () => {
    const form = parseBodyData(Buffer.from('__proto__=x'), 'application/x-www-form-urlencoded');
    assert.equal(Object.getPrototypeOf(form), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(form, '__proto__')?.value, 'x');
    const json = parseBodyData(Buffer.from('{"__proto__":{"admin":true}}'), undefined);
    assert.equal(Object.getPrototypeOf(json), Object.prototype);
  });

  it('rejects invalid JSON with a clear message', () => {
    invalid('{"a":', undefined, /^failed to parse JSON input: /);
    invalid('{a:1}', 'application/json', /^failed to parse JSON input: /);
  });

  it('rejects JSON that is not an object', () => {
    invalid('[1,2]', undefined, /got array/);
    invalid('"s"', undefined, /got string/);
    invalid('42', undefined, /got number/);
    invalid('true', undefined, /got boolean/);
  });

  it('rejects a body that is not valid UTF-8', () => {
    invalid(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), undefined, /invalid UTF-8/);
    invalid(Buffer.from([0x61, 0x3d, 0xc3]), 'application/x-www-form-urlencoded', /invalid UTF-8/);
  });
});

describe('parseQueryData', () => {
  it('maps single values to strings and repeated keys to arrays, leaving out help', () => {
    assert.deepEqual(parseQueryData(new URLSearchParams('version=2&a=1&a=2&help=1&e=')), { version: '2', a: ['1', '2'], e: '' });
  });

  it('returns an empty object when there are no parameters', () => {
    assert.deepEqual(parseQueryData(new URLSearchParams('')), {});
  });
});
