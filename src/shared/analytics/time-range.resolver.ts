import { DateTime } from 'luxon';
import type { ResolvedRange, TimeDimension } from './structured-query.js';

export type CalendarUnit = TimeDimension;

/** as_of seen in the shop's zone; every relative phrase resolves from here. */
export interface Clock {
  asOf: DateTime;
  zone: string;
  /**
   * How the shop writes numeric dates: 3/9/2025 is 9 March for "dmy", 3
   * September for "mdy"; null when its locale does not say, and such a date
   * is read only if one order is impossible.
   */
  numericDates: 'mdy' | 'dmy' | null;
}

/** Locales that write the month first: 3/9/2025 is March 9 in en-US, 3 September in en-GB. */
const MONTH_FIRST = /^en-(us|ph)$/i;

export function clockOf(asOf: Date, timezone: string, locale?: string): Clock {
  const dt = DateTime.fromJSDate(asOf, { zone: timezone });
  if (!dt.isValid) throw new Error(`invalid time zone: ${timezone}`);
  const numericDates = !locale ? null : MONTH_FIRST.test(locale) ? 'mdy' : 'dmy';
  return { asOf: dt, zone: timezone, numericDates };
}

export function startOfUnit(dt: DateTime, unit: CalendarUnit): DateTime {
  // luxon's ISO weeks start on Monday, as DESIGN.md wants.
  return dt.startOf(unit);
}

function friendlyLabel(
  start: DateTime,
  unit: CalendarUnit | null,
  count: number,
  endIncl: DateTime,
): string {
  const span = `${start.toISODate()}..${endIncl.toISODate()}`;
  if (count !== 1 || unit === null) return span;
  switch (unit) {
    case 'day':
      return start.toISODate() ?? span;
    case 'week':
      return `the week of ${start.toISODate()}`;
    case 'month':
      return `${start.setLocale('en').toFormat('LLLL')} ${start.year}`;
    case 'quarter':
      return `Q${start.quarter} ${start.year}`;
    case 'year':
      return String(start.year);
  }
}

/**
 * Build a range from zone-aware bounds. The end is capped at as_of: "as of" means
 * the answer is what was known at that moment, so "this year" and "1998" asked
 * in May 1998 mean the same days.
 */
export function makeRange(
  clock: Clock,
  start: DateTime,
  endExclusive: DateTime,
  unit: CalendarUnit | null,
  count = 1,
  toDate = false,
): ResolvedRange {
  const end = endExclusive > clock.asOf ? clock.asOf : endExclusive;
  const safeEnd = end < start ? start : end;
  const lastDay = safeEnd > start ? safeEnd.minus({ milliseconds: 1 }) : start;
  let label = friendlyLabel(start, unit, count, endExclusive.minus({ milliseconds: 1 }));
  if (toDate && unit)
    label =
      unit === 'day'
        ? `today so far (${start.toISODate()})`
        : `this ${unit} so far (${start.toISODate()}..${lastDay.toISODate()})`;
  return {
    start: start.toUTC().toISO() ?? '',
    end: safeEnd.toUTC().toISO() ?? '',
    label,
    unit,
    count,
    toDate,
  };
}

/** The current period from its start up to as_of. */
export function currentToDate(clock: Clock, unit: CalendarUnit): ResolvedRange {
  return makeRange(clock, startOfUnit(clock.asOf, unit), clock.asOf, unit, 1, true);
}

/** The N whole units before the current one ("last 7 days", "last month"). */
export function previousUnits(clock: Clock, unit: CalendarUnit, n: number): ResolvedRange {
  const end = startOfUnit(clock.asOf, unit);
  return makeRange(clock, end.minus({ [unit + 's']: n }), end, unit, n);
}

/** The single whole unit N units back ("3 days ago", "the month before last"). */
export function unitsAgo(clock: Clock, unit: CalendarUnit, n: number): ResolvedRange {
  const start = startOfUnit(clock.asOf, unit).minus({ [unit + 's']: n });
  return makeRange(clock, start, start.plus({ [unit + 's']: 1 }), unit);
}

/** A calendar period by its start; without a year, the latest one that has started. */
export function namedPeriod(
  clock: Clock,
  unit: 'month' | 'quarter' | 'year',
  year: number | null,
  index: number,
  spanMonths?: number,
): ResolvedRange | null {
  const monthOf = unit === 'quarter' ? (index - 1) * 3 + 1 : unit === 'year' ? 1 : index;
  let y = year ?? clock.asOf.year;
  let start = DateTime.fromObject({ year: y, month: monthOf, day: 1 }, { zone: clock.zone });
  if (year === null && start > clock.asOf) {
    y -= 1;
    start = start.set({ year: y });
  }
  if (!start.isValid) return null;
  if (spanMonths !== undefined) {
    // Halves: six months from the given start; labelled like "H1 1998".
    const r = makeRange(clock, start, start.plus({ months: spanMonths }), null);
    return { ...r, label: `H${monthOf === 1 ? 1 : 2} ${y}` };
  }
  const end = start.plus({ [unit + 's']: 1 });
  // "November" asked on 22 November is November so far, like "this month": a
  // comparison then takes the same elapsed part of the other period.
  return makeRange(clock, start, end, unit, 1, start <= clock.asOf && clock.asOf < end);
}

export function singleDay(
  clock: Clock,
  year: number,
  month: number,
  day: number,
): ResolvedRange | null {
  const start = DateTime.fromObject({ year, month, day }, { zone: clock.zone });
  if (!start.isValid) return null;
  return makeRange(clock, start, start.plus({ days: 1 }), 'day');
}

/** Inclusive of both ends' whole units (a day, or a month for "from March to May"). */
export function spanBetween(
  clock: Clock,
  from: ResolvedRange,
  to: ResolvedRange,
): ResolvedRange | null {
  const start = DateTime.fromISO(from.start, { zone: clock.zone });
  const endUnit = to.unit ?? 'day';
  const toStart = DateTime.fromISO(to.start, { zone: clock.zone });
  const end = to.unit
    ? toStart.plus({ [endUnit + 's']: to.count })
    : DateTime.fromISO(to.end, { zone: clock.zone });
  if (!(end > start)) return null;
  return makeRange(clock, start, end, null);
}

export function sinceStart(clock: Clock, from: ResolvedRange): ResolvedRange {
  const start = DateTime.fromISO(from.start, { zone: clock.zone });
  const r = makeRange(clock, start, clock.asOf, null);
  return { ...r, label: `since ${start.toISODate()}` };
}

/**
 * The same range moved by whole units, in the shop's zone so month ends and DST
 * stay right. Ranges without a unit move by their own length in days.
 */
export function shiftRange(
  clock: Clock,
  range: ResolvedRange,
  steps: number,
  unit: CalendarUnit | null = range.unit,
): ResolvedRange {
  const start = DateTime.fromISO(range.start, { zone: clock.zone });
  const end = DateTime.fromISO(range.end, { zone: clock.zone });
  if (unit === null) {
    const days = Math.max(1, Math.round(end.diff(start, 'days').days));
    const s = start.plus({ days: steps * days });
    return makeRange(clock, s, s.plus({ days }), null);
  }
  const by = { [unit + 's']: steps * (unit === range.unit ? range.count : 1) };
  const s = start.plus(by);
  if (range.toDate) {
    // Same elapsed part of the other period (May 1–6 vs April 1–6).
    const r = makeRange(clock, s, end.plus(by), null);
    return {
      ...r,
      label: `${s.toISODate()}..${end.plus(by).minus({ milliseconds: 1 }).toISODate()}`,
    };
  }
  const fullEnd = range.unit
    ? startOfUnit(s, range.unit).plus({ [range.unit + 's']: range.count })
    : end.plus(by);
  return makeRange(clock, s, fullEnd, range.unit, range.count);
}

/** "1998-04-01..1998-04-30" in the shop's zone, inclusive. */
export function describeSpan(range: ResolvedRange, zone: string): string {
  const start = DateTime.fromISO(range.start, { zone });
  const end = DateTime.fromISO(range.end, { zone });
  const last = end > start ? end.minus({ milliseconds: 1 }) : start;
  return `${start.toISODate()}..${last.toISODate()}`;
}
