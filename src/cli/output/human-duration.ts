// Durations in seconds printed as vault's tables print them: Go's Duration.String() with
// trailing zero units dropped ("768h", "1h30m", "45s").

import { formatGoDuration } from '../../shared/index.js';

export function humanDuration(seconds: number): string {
  let s = formatGoDuration(seconds);
  if (s === '0s') return s;
  if (s.endsWith('m0s')) s = s.slice(0, -2);
  const h = s.indexOf('h0m');
  if (h > 0) s = s.slice(0, h + 1) + s.slice(h + 3);
  return s;
}
