// Tests of the number-preserving JSON parser used for template data.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonNumber, parseJsonKeepingNumbers } from './json-number.js';

describe('parseJsonKeepingNumbers', () => {
  it('keeps the source text of numbers', () => {
    const v = parseJsonKeepingNumbers('{"ttl": 3600, "f": 1.50, "e": 1e400, "neg": -0}') as Record<string, JsonNumber>;
    assert.equal(v['ttl']?.text, '3600');
    assert.equal(v['f']?.text, '1.50');
    assert.equal(v['e']?.text, '1e400');
    assert.equal(String(v['neg']), '-0');
    assert.ok(v['ttl'] instanceof JsonNumber);
  });

  it('decodes strings, escapes, nesting, booleans and null like JSON.parse', () => {
    const text = '{"a":"x\\u00e9\\n\\"","b":[true,false,null,{"c":[]}],"__proto__":{"d":"e"}}';
    const v = parseJsonKeepingNumbers(text) as Record<string, unknown>;
    assert.equal(v['a'], 'x\u00e9\n"');
    assert.deepEqual(v['b'], [true, false, null, { c: [] }]);
    assert.ok(Object.hasOwn(v, '__proto__'));
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
  });

  it('rejects malformed JSON with an offset', () => {
    assert.throws(() => parseJsonKeepingNumbers('{"a":1,}'), /offset 7/);
    assert.throws(() => parseJsonKeepingNumbers('[1 2]'), SyntaxError);
    assert.throws(() => parseJsonKeepingNumbers('{"a":01}'), SyntaxError);
    assert.throws(() => parseJsonKeepingNumbers('"abc'), SyntaxError);
  });
});
