// Go's time.Time.Format for UTC instants: the reference-time layout language
// ("2006-01-02T15:04:05Z07:00"), as consul-template's timestamp function uses it.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, w: number, c = '0'): string => String(n).padStart(w, c);

interface Parts {
  year: number;
  month: number;
  day: number;
  yday: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
}

function parts(d: Date, nanos: number): Parts {
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    yday: Math.floor((d.getTime() - start) / 86400000) + 1,
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanos,
  };
}

/** Layout chunks in the order Go's nextStdChunk tries them at each position. */
const CHUNKS: ReadonlyArray<readonly [string, (p: Parts) => string]> = [
  ['January', (p) => MONTHS[p.month] ?? ''],
  ['Jan', (p) => (MONTHS[p.month] ?? '').slice(0, 3)],
  ['Monday', (p) => DAYS[p.weekday] ?? ''],
  ['Mon', (p) => (DAYS[p.weekday] ?? '').slice(0, 3)],
  ['MST', () => 'UTC'],
  ['01', (p) => pad(p.month + 1, 2)],
  ['02', (p) => pad(p.day, 2)],
  ['03', (p) => pad(p.hour % 12 === 0 ? 12 : p.hour % 12, 2)],
  ['04', (p) => pad(p.minute, 2)],
  ['05', (p) => pad(p.second, 2)],
  ['06', (p) => pad(p.year % 100, 2)],
  ['002', (p) => pad(p.yday, 3)],
  ['15', (p) => pad(p.hour, 2)],
  ['1', (p) => String(p.month + 1)],
  ['2006', (p) => pad(p.year, 4)],
  ['2', (p) => String(p.day)],
  ['__2', (p) => pad(p.yday, 3, ' ')],
  ['_2', (p) => pad(p.day, 2, ' ')],
  ['3', (p) => String(p.hour % 12 === 0 ? 12 : p.hour % 12)],
  ['4', (p) => String(p.minute)],
  ['5', (p) => String(p.second)],
  ['PM', (p) => (p.hour >= 12 ? 'PM' : 'AM')],
  ['pm', (p) => (p.hour >= 12 ? 'pm' : 'am')],
  ['-070000', () => '+000000'],
  ['-07:00:00', () => '+00:00:00'],
  ['-0700', () => '+0000'],
  ['-07:00', () => '+00:00'],
  ['-07', () => '+00'],
  ['Z070000', () => 'Z'],
  ['Z07:00:00', () => 'Z'],
  ['Z0700', () => 'Z'],
  ['Z07:00', () => 'Z'],
  ['Z07', () => 'Z'],
];

/** Formats a UTC instant with a Go layout; nanos adds sub-millisecond precision when known. */
export function formatGoTime(d: Date, layout: string, nanos = d.getUTCMilliseconds() * 1_000_000): string {
  const p = parts(d, nanos);
  let out = '';
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?!\d)/.exec(layout.slice(i));
    if (frac !== null) {
      const digits = frac[1] ?? '';
      const full = pad(p.nanos, 9).slice(0, digits.length);
      if (digits.startsWith('0')) {
        out += (layout[i] ?? '.') + full;
      } else {
        const trimmed = full.replace(/0+$/, '');
        if (trimmed !== '') out += (layout[i] ?? '.') + trimmed;
      }
      i += frac[0].length;
      continue;
    }
    const chunk = CHUNKS.find(([k]) => layout.startsWith(k, i));
    if (chunk === undefined) {
      out += layout[i];
      i++;
      continue;
    }
    out += chunk[1](p);
    i += chunk[0].length;
  }
  return out;
}

export const RFC3339 = '2006-01-02T15:04:05Z07:00';

/**
 * A time.Time value for an RFC 3339 timestamp (e.g. wrap_info.creation_time), normalised to UTC:
 * String() in Go's default layout, JSON as RFC 3339 with nanoseconds.
 */
export function goTimeParts(rfc3339: string): { string: string; json: string } {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return { string: '0001-01-01 00:00:00 +0000 UTC', json: '0001-01-01T00:00:00Z' };
  const frac = /\.(\d{1,9})/.exec(rfc3339)?.[1] ?? '';
  const nanos = Number(frac.padEnd(9, '0'));
  const d = new Date(ms);
  return {
    string: formatGoTime(d, '2006-01-02 15:04:05.999999999 -0700 MST', nanos),
    json: formatGoTime(d, '2006-01-02T15:04:05.999999999Z07:00', nanos),
  };
}
