/**
 * Local calendar parts of an instant in an IANA zone, fast: the zone's UTC
 * offset is looked up once per zone and hour through Intl and cached, because
 * offsets only change on the hour (or half hour) at DST switches.
 */
const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC in ms at instant t (throws RangeError for an unknown zone). */
export function zoneOffset(zone: string, t: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT') return 0;
  // Half-hour steps keep zones that switch DST on the half hour exact.
  const bucket = Math.floor(t / (HOUR / 2));
  let cache = offsets.get(zone);
  if (!cache) {
    cache = new Map();
    offsets.set(zone, cache);
  }
  let off = cache.get(bucket);
  if (off === undefined) {
    const probe = bucket * (HOUR / 2);
    const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(probe)).map((p) => [p.type, p.value]));
    const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    off = local - probe;
    cache.set(bucket, off);
  }
  return off;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 1 = Monday … 7 = Sunday. */
  isoDayOfWeek: number;
}

export function localParts(date: Date, zone: string): LocalParts {
  const t = date.getTime();
  const local = new Date(t + zoneOffset(zone, t));
  const dow = local.getUTCDay();
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
    isoDayOfWeek: dow === 0 ? 7 : dow,
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The $dateToString specifiers the fast path formats; others leave the stage to mingo. */
export const SUPPORTED_SPECIFIERS = /^(?:[^%]|%[YmdHMSLu%])*$/;

export function formatDate(date: Date, format: string, zone: string): string {
  const p = localParts(date, zone);
  return format.replace(/%([YmdHMSLu%])/g, (_m, c: string) => {
    switch (c) {
      case 'Y': return pad(p.year, 4);
      case 'm': return pad(p.month);
      case 'd': return pad(p.day);
      case 'H': return pad(p.hour);
      case 'M': return pad(p.minute);
      case 'S': return pad(p.second);
      case 'L': return pad(p.millisecond, 3);
      case 'u': return String(p.isoDayOfWeek);
      default: return '%';
    }
  });
}
