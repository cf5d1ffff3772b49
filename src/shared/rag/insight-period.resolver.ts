import { DateTime } from 'luxon';
import { MONTH_NAMES } from '../analytics/question-text.js';

/** A half-open span [start, end) of instants, with how people would name it. */
export interface Period {
  start: Date;
  end: Date;
  label: string;
  /** Calendar unit the period was named by; decides the comparison period. */
  unit: 'day' | 'week' | 'month' | 'quarter' | 'year' | 'custom';
}

export interface PeriodPair {
  current: Period;
  previous: Period;
  /** Whether the question named the period (else the default was used). */
  explicit: boolean;
}

const MONTHS = MONTH_NAMES;
const MONTH_ABBR = MONTHS.map((m) => m.slice(0, 3));

function period(start: DateTime, end: DateTime, label: string, unit: Period['unit']): Period {
  return { start: start.toJSDate(), end: end.toJSDate(), label, unit };
}

function monthPeriod(start: DateTime, asOf: DateTime): Period {
  const end = start.plus({ months: 1 });
  const capped = end > asOf ? asOf : end;
  const label = start.toFormat('LLLL yyyy') + (end > asOf ? ' so far' : '');
  return period(start, capped, label, 'month');
}

/**
 * Resolve the period of an insight question against as_of in the shop's zone
 * (DESIGN.md: "last month" is the previous calendar month, "last week" the
 * previous Monday–Sunday). The comparison is the period just before, of the same
 * length; a period running up to as_of ("this month") is compared with the same
 * number of days of the period before. Default: last full month vs the one before.
 *
 * Tier 1's parser resolves far more phrases; this covers what insight questions
 * use so Tier 3 stands on its own.
 */
export function resolveInsightPeriods(question: string, asOf: Date, timezone: string): PeriodPair {
  const now = DateTime.fromJSDate(asOf, { zone: timezone });
  if (!now.isValid) throw new Error(`invalid time zone: ${timezone}`);
  const q = question.toLowerCase();
  const today = now.startOf('day');

  const pair = (
    cur: Period,
    prevStart: DateTime,
    prevEnd: DateTime,
    prevLabel: string,
  ): PeriodPair => ({
    current: cur,
    previous: period(prevStart, prevEnd, prevLabel, cur.unit),
    explicit: true,
  });

  const lastN = /\b(?:last|past|previous)\s+(\d{1,3})\s+(day|week|month)s?\b/.exec(q);
  if (lastN) {
    const n = Number(lastN[1]);
    const unit = lastN[2] as 'day' | 'week' | 'month';
    const start = today.minus({ [`${unit}s`]: n });
    const prevStart = start.minus({ [`${unit}s`]: n });
    return pair(
      period(
        start,
        today,
        `the last ${n} ${unit}s (${start.toISODate()}..${today.minus({ days: 1 }).toISODate()})`,
        'custom',
      ),
      prevStart,
      start,
      `the ${n} ${unit}s before`,
    );
  }
  if (/\byesterday\b/.test(q)) {
    const start = today.minus({ days: 1 });
    return pair(
      period(start, today, start.toISODate() ?? '', 'day'),
      start.minus({ days: 1 }),
      start,
      'the day before',
    );
  }
  if (/\b(?:last|previous|past)\s+week\b/.test(q)) {
    const start = today.startOf('week').minus({ weeks: 1 });
    const end = start.plus({ weeks: 1 });
    return pair(
      period(start, end, `the week of ${start.toISODate()}`, 'week'),
      start.minus({ weeks: 1 }),
      start,
      `the week of ${start.minus({ weeks: 1 }).toISODate()}`,
    );
  }
  if (/\bthis\s+week\b/.test(q)) {
    const start = today.startOf('week');
    const days = now.diff(start);
    return pair(
      period(start, now, 'this week so far', 'week'),
      start.minus({ weeks: 1 }),
      start.minus({ weeks: 1 }).plus(days),
      'the same days of last week',
    );
  }
  if (/\bthis\s+month\b/.test(q)) {
    const start = today.startOf('month');
    const prevStart = start.minus({ months: 1 });
    const prevEnd = DateTime.min(prevStart.plus(now.diff(start)), start);
    return pair(
      period(start, now, `${start.toFormat('LLLL yyyy')} so far`, 'month'),
      prevStart,
      prevEnd,
      `the same days of ${prevStart.toFormat('LLLL yyyy')}`,
    );
  }
  const monthRe = new RegExp(
    `\\b(${MONTHS.join('|')}|${MONTH_ABBR.join('|')})\\b\\.?(?:\\s+(\\d{4}))?`,
  );
  const named = monthRe.exec(q);
  // "may" is also a verb: only take it with a year or after "in".
  if (named && (named[1] !== 'may' || named[2] || /\bin\s+may\b/.test(q))) {
    const idx = MONTH_ABBR.indexOf(named[1]!.slice(0, 3));
    let year = named[2] ? Number(named[2]) : now.year;
    // Without a year, a month later than as_of's means last year's.
    if (!named[2] && idx + 1 > now.month) year -= 1;
    const start = DateTime.fromObject({ year, month: idx + 1, day: 1 }, { zone: timezone });
    const cur = monthPeriod(start, now);
    const prevStart = start.minus({ months: 1 });
    return pair(cur, prevStart, start, prevStart.toFormat('LLLL yyyy'));
  }
  const explicit = /\b(?:last|previous|past)\s+month\b/.test(q);
  const start = today.startOf('month').minus({ months: 1 });
  const prevStart = start.minus({ months: 1 });
  return {
    current: monthPeriod(start, now),
    previous: period(prevStart, start, prevStart.toFormat('LLLL yyyy'), 'month'),
    explicit,
  };
}

/**
 * The window a trend is fitted over: an explicit "last N weeks/months" as
 * given, else the 26 whole weeks before as_of's week (enough points for a
 * meaningful slope, short enough to describe "now").
 */
export function resolveTrendWindow(question: string, asOf: Date, timezone: string): Period {
  const now = DateTime.fromJSDate(asOf, { zone: timezone });
  const q = question.toLowerCase();
  const end = now.startOf('week');
  const m = /\b(?:last|past)\s+(\d{1,3})\s+(week|month)s?\b/.exec(q);
  let start: DateTime;
  if (m) start = end.minus({ [`${m[2]}s`]: Number(m[1]) }).startOf('week');
  else if (/\b(?:this|past|last)\s+year\b/.test(q)) start = end.minus({ weeks: 52 });
  else start = end.minus({ weeks: 26 });
  if (end.diff(start, 'weeks').weeks < 4) start = end.minus({ weeks: 4 });
  return period(
    start,
    end,
    `${start.toISODate()}..${end.minus({ days: 1 }).toISODate()}`,
    'custom',
  );
}
