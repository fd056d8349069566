/** Where in a recording a comment points, in seconds, as Flex's `Offset` takes it. */
export type OffsetParseResult = { ok: true; seconds: number } | { ok: false; problem: string };

export const MAX_OFFSET_SECONDS = 24 * 60 * 60;
const DECIMAL = /^\d+(?:\.\d+)?$/;
const CLOCK = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/;
const UNITS = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/;

/**
 * Reads what a person types or what a link carries: `6.98`, `83`, `1:23`, `1:02:03`, `1m23s`, `2h3m`.
 * An empty text means the start of the call.
 */
export function parseOffset(text: string): OffsetParseResult {
  const value = text.trim().toLowerCase();
  if (value === '') return { ok: true, seconds: 0 };
  let seconds: number | undefined;
  if (DECIMAL.test(value)) {
    seconds = Number(value);
  } else {
    const clock = CLOCK.exec(value);
    if (clock) {
      const [, hours, minutes, secs] = clock;
      if (hours !== undefined && Number(minutes) >= 60) return invalid();
      if (Number(secs) >= 60) return invalid();
      seconds = Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(secs);
    } else {
      const units = UNITS.exec(value);
      if (units && value !== '') {
        const [, hours, minutes, secs] = units;
        seconds = Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(secs ?? 0);
      }
    }
  }
  if (seconds === undefined || !Number.isFinite(seconds)) return invalid();
  if (seconds > MAX_OFFSET_SECONDS)
    return { ok: false, problem: 'That is more than 24 hours into the call. Check the time.' };
  return { ok: true, seconds };
}

function invalid(): OffsetParseResult {
  return {
    ok: false,
    problem: 'Enter the time in the recording as seconds (6.98) or as m:ss / h:mm:ss (1:23, 1:02:03).',
  };
}

/** `83.5` → `1:23.5`, `3723` → `1:02:03`: how a person reads a position in a recording. */
export function formatOffset(seconds: number): string {
  const whole = Math.floor(seconds);
  const fraction = seconds - whole;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  const fractionText = fraction > 0 ? fraction.toFixed(3).replace(/0+$/, '').slice(1) : '';
  const ss = `${String(secs).padStart(2, '0')}${fractionText}`;
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}
