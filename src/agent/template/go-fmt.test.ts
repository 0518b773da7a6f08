// Go's fmt rules through printf: verbs, flags, widths, precision, rounding and the %!verb error
// forms. Expected strings were produced by Go's fmt via text/template.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJson } from './json-decode.js';
import { parseTemplate, renderTemplate } from './index.js';

interface FmtCase {
  readonly name: string;
  readonly template: string;
  readonly expected: string;
}

const DATA = '{"m":{"b":1,"a":[1,"x",null],"c":1.5},"s":"héllo"}';

const CASES: readonly FmtCase[] = [
  { name: "formats integers with widths, flags, bases and characters", template: "{{ printf \"%d|%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%c|%q|%U|%#U\" 42 42 42 42 42 42 255 255 255 8 8 8 5 5 7 65 65 65 0x1F600 }}", expected: "42|   42|42   |00042|+42| 42|ff|FF|0xff|10|010|0o10|101|0b101|007|A|'A'|U+0041|U+1F600 '\ud83d\ude00'" },
  { name: "formats floats with %e %f %g, precision, padding and hex", template: "{{ printf \"%e|%E|%f|%.2f|%8.3f|%-8.2f|%08.3f|%+.1e|%g|%G|%.3g|%v|%x\" 1234.5678 1234.5678 3.14159 2.675 3.14159 2.5 -3.14159 12345.678 0.00001 1e21 1234.5678 100000000.0 3.5 }}", expected: "1.234568e+03|1.234568E+03|3.141590|2.67|   3.142|2.50    |-003.142|+1.2e+04|1e-05|1E+21|1.23e+03|1e+08|0x1.cp+01" },
  { name: "formats strings with %s %q %x, width and precision counted in runes", template: "{{ printf \"%s|%q|%+q|%#q|%x|% x|%X|%10s|%-10s|%.2s|%05s|%v\" .s .s .s \"a`b\" \"hi\" \"hi\" \"hi\" \"hi\" \"hi\" .s \"ab\" .s }}", expected: "h\u00e9llo|\"h\u00e9llo\"|\"h\\u00e9llo\"|\"a`b\"|6869|68 69|6869|        hi|hi        |h\u00e9|000ab|h\u00e9llo" },
  { name: "formats booleans", template: "{{ printf \"%t|%v|%5t\" true false true }}", expected: "true|false| true" },
  { name: "formats maps with %v %+v %#v and %T", template: "{{ printf \"%v|%+v|%#v|%T\" .m .m .m .m }}", expected: "map[a:[1 x <nil>] b:1 c:1.5]|map[a:[1 x <nil>] b:1 c:1.5]|map[string]interface {}{\"a\":[]interface {}{\"1\", \"x\", interface {}(nil)}, \"b\":\"1\", \"c\":\"1.5\"}|map[string]interface {}" },
  { name: "formats values that do not fit the verb as %!verb(type=value)", template: "{{ printf \"%d|%s|%q\" .m.a .m.a .m.b }}", expected: "[%!d(json.Number=1) %!d(string=x) <nil>]|[1 x <nil>]|\"1\"" },
  { name: "reports bad verbs, missing operands and a dangling percent", template: "{{ printf \"%!|%z|%\" 1 }}", expected: "%!!(int=1)|%!z(MISSING)|%!(NOVERB)" },
  { name: "reports extra operands", template: "{{ printf \"%d\" 1 2 \"x\" }}", expected: "1%!(EXTRA int=2, string=x)" },
  { name: "takes width and precision from operands", template: "{{ printf \"%*d|%-*d|%.*f\" 5 1 4 2 2 3.14159 }}", expected: "    1|2   |3.14" },
  { name: "uses explicit operand indexes", template: "{{ printf \"%[2]d %[1]d\" 1 2 }}|{{ printf \"%[3]d\" 1 }}", expected: "2 1|%!d(BADINDEX)" },
  { name: "rounds exact halves to even as Go does", template: "{{ printf \"%.2f %.0f %.0f %.1f %.1f %.2f\" 0.125 2.5 3.5 0.05 0.25 1.005 }}", expected: "0.12 2 4 0.1 0.2 1.00" },
  { name: "prints large and small floats with exponents under %v", template: "{{ printf \"%v %v %v %v %v\" 100000000.0 1e20 1e21 123456789.0 0.0001 }}", expected: "1e+08 1e+20 1e+21 1.23456789e+08 0.0001" },
  { name: "prints json numbers through their String method", template: "{{ printf \"%v|%s|%q|%5v|%x|%d\" .m.b .m.b .m.b .m.b .m.b .m.b }}", expected: "1|1|\"1\"|    1|31|%!d(json.Number=1)" },
  { name: "prints nil as <nil> or %!verb(<nil>)", template: "{{ printf \"%v %d %s\" nil nil nil }}", expected: "<nil> %!d(<nil>) %!s(<nil>)" },
  { name: "applies the # flag to floats and prints %b as mantissa and binary exponent", template: "{{ printf \"%#g|%#.1v|%#x|%#.0e|%b|%+9b\" 2.5 0.0 0.0 123456789.0 3.14159 0.0 }}", expected: "2.50000|0|0x0.0000p+00|1.e+08|7074231776675438p-51| +0p-1074" },
  { name: "prints %U with precision, sign wrap-around and the # character form", template: "{{ printf \"%U|%.6U|%#U|% 11U\" 1 1 120 -7 }}", expected: "U+0001|U+000001|U+0078 'x'|U+FFFFFFFFFFFFFFF9" },
  { name: "passes flags through to the value printed inside %!verb(...)", template: "{{ printf \"%#5.1d|%07.1d\" 0.0 \"str\" }}", expected: "%!d(float64=   0.)|%!d(string=000000s)" },
  { name: "quotes non-printable and non-ASCII runes as Go does", template: "{{ printf \"%q|%+q\" \"a\\tb\\x00c\\u00e9\\U0001F600\" \"\u00e9\" }}", expected: "\"a\\tb\\x00c\u00e9\ud83d\ude00\"|\"\\u00e9\"" },

];

describe('printf follows Go fmt', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const r = await renderTemplate(parseTemplate(c.template, { name: 't' }), {
        source: { secret: async () => null, list: async () => [] },
        data: decodeJson(DATA, { useNumber: true }),
      });
      assert.equal(r.output, c.expected);
    });
  }
});
