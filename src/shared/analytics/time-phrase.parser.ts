import { DateTime } from 'luxon';
import { CURRENCY_WORD } from './filter-phrase.rules.js';
import { MONTH_NAMES } from './question-text.js';
import type { ResolvedRange } from './structured-query.js';
import type { TokenStream } from './token-stream.js';
import {
  currentToDate,
  describeSpan,
  makeRange,
  namedPeriod,
  previousUnits,
  singleDay,
  sinceStart,
  spanBetween,
  unitsAgo,
  type CalendarUnit,
  type Clock,
} from './time-range.resolver.js';

const MONTH = `(?:${MONTH_NAMES.join('|')})`;
export const WEEKDAY_NAMES = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];
const WEEKDAY = `(?:${WEEKDAY_NAMES.join('|')}|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)`;

/** The latest such weekday before today (or up to today), at its start, in the shop's zone. */
function latestWeekday(clock: Clock, name: string, includeToday: boolean): DateTime {
  const today = clock.asOf.startOf('day');
  // "fri", "thurs": every abbreviation starts its day's name and no other.
  const wanted = WEEKDAY_NAMES.findIndex((d) => d.startsWith(name)) + 1;
  let back = (today.weekday - wanted + 7) % 7;
  if (back === 0 && !includeToday) back = 7;
  return today.minus({ days: back });
}
const YEAR = '(?:19|20)\\d\\d';
const YEAR_REF = `(?:${YEAR}|last year|this year|previous year|the previous year|the last year|the current year|current year)`;
const UNIT = '(?:day|week|month|quarter|year)';
const ORD: Record<string, number> = {
  first: 1,
  '1': 1,
  second: 2,
  '2': 2,
  third: 3,
  '3': 3,
  fourth: 4,
  '4': 4,
};

/**
 * The two ends of a "from X to Y" / "between X and Y" range: after a change
 * word, "how did revenue change from Q2 to Q3" compares Q3 with Q2.
 */
const BETWEEN_ENDS = new WeakMap<ResolvedRange, [ResolvedRange, ResolvedRange]>();
export function betweenEnds(range: ResolvedRange): [ResolvedRange, ResolvedRange] | null {
  return BETWEEN_ENDS.get(range) ?? null;
}

/** A found period: token span plus the range (null: "all time"). */
export interface TimeSpan {
  from: number;
  to: number;
  range: ResolvedRange | null;
}

/**
 * A two-digit year ("q1 98", "march 25") in the century that puts it at or
 * before as_of's year: 98 asked in 1998 is 1998, 25 asked in 2026 is 2025.
 */
function twoDigitYear(yy: number, clock: Clock): number {
  const century = clock.asOf.year - (clock.asOf.year % 100);
  return century + yy > clock.asOf.year ? century - 100 + yy : century + yy;
}

/** The year of the latest such day that has begun by as_of ("October 3" asked in May). */
function latestYearOf(clock: Clock, month: number, day: number): number {
  const { year, month: m, day: d } = clock.asOf;
  return m < month || (m === month && d < day) ? year - 1 : year;
}

function yearOf(ref: string | undefined, clock: Clock): number | null {
  if (!ref) return null;
  if (/^\d{4}$/.test(ref)) return Number(ref);
  if (/^\d{2}$/.test(ref)) return twoDigitYear(Number(ref), clock);
  if (/last|previous/.test(ref)) return clock.asOf.year - 1;
  return clock.asOf.year;
}

function unitOf(word: string): CalendarUnit {
  return word.replace(/s$/, '') as CalendarUnit;
}

// "monday 2 november 2026": a weekday before a date only says which day it is.
const SINGLE_DATE = `(?:${WEEKDAY} )?(?:\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?|${MONTH} \\d{1,2}(?: ${YEAR})?|\\d{1,2} (?:of )?${MONTH}(?: ${YEAR})?)`;
const DATE_ANY = `(?:${SINGLE_DATE}|${MONTH}(?: (?:of )?${YEAR})?|q[1-4](?: ${YEAR})?|${YEAR}|today|yesterday)`;

/** One date-like phrase (a day, month, quarter or year); defaultYear fills a missing year. */
export function parseDatePhrase(
  text: string,
  clock: Clock,
  defaultYear: number | null,
): ResolvedRange | null {
  let m: RegExpExecArray | null;
  text = text.replace(new RegExp(`^${WEEKDAY} `), '');
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text)))
    return singleDay(clock, +m[1]!, +m[2]!, +m[3]!);
  if ((m = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?$/.exec(text))) {
    const a = +m[1]!,
      b = +m[2]!;
    // 03/05/1998 is March 5 or 3 May: the shop's locale says which; without
    // one, only an order that cannot be the other is read.
    const order =
      clock.numericDates ??
      (a > 12 && b <= 12 ? 'dmy' : b > 12 && a <= 12 ? 'mdy' : a === b ? 'mdy' : null);
    if (!order) return null;
    const [month, day] = order === 'mdy' ? [a, b] : [b, a];
    if (m[3]) {
      const y = m[3].length === 2 ? twoDigitYear(+m[3], clock) : +m[3];
      return singleDay(clock, y, month, day);
    }
    // No year ("10/1", known order only): the latest such day that has begun.
    if (!clock.numericDates) return null;
    return singleDay(clock, latestYearOf(clock, month, day), month, day);
  }
  if (
    (m = new RegExp(`^(${MONTH}) (\\d{1,2})(?: (${YEAR}))?$`).exec(text)) ||
    (m = new RegExp(`^(\\d{1,2}) (?:of )?(${MONTH})(?: (${YEAR}))?$`).exec(text))
  ) {
    const monthFirst = MONTH_NAMES.includes(m[1]!);
    const month = MONTH_NAMES.indexOf(monthFirst ? m[1]! : m[2]!) + 1;
    const day = +(monthFirst ? m[2]! : m[1]!);
    const year = m[3] ? +m[3] : (defaultYear ?? latestYearOf(clock, month, day));
    return singleDay(clock, year, month, day);
  }
  if ((m = new RegExp(`^(${MONTH})(?: (?:of )?(${YEAR}))?$`).exec(text))) {
    return namedPeriod(clock, 'month', m[2] ? +m[2] : defaultYear, MONTH_NAMES.indexOf(m[1]!) + 1);
  }
  if ((m = new RegExp(`^q([1-4])(?: (${YEAR}))?$`).exec(text))) {
    return namedPeriod(clock, 'quarter', m[2] ? +m[2] : defaultYear, +m[1]!);
  }
  if ((m = new RegExp(`^(${YEAR})$`).exec(text))) return namedPeriod(clock, 'year', +m[1]!, 1);
  if (text === 'today') return currentToDate(clock, 'day');
  if (text === 'yesterday') return unitsAgo(clock, 'day', 1);
  return null;
}

function explicitYear(text: string): number | null {
  const m = new RegExp(`(${YEAR})\\b`).exec(text);
  return m ? +m[1]! : null;
}

/** Words that may follow a bare two-digit year ("in 97 by month", "in 97 vs 96"). */
const YEAR_FOLLOWER =
  /^(?:by|per|vs|versus|compared|against|and|or|than|for|in|from|with|to|only|alone|so|please)$/;

const AMOUNT_BEFORE =
  /^(?:\$|€|£|usd|eur|gbp|over|above|under|below|than|least|most|exceeding|min|max|minimum|maximum)$/;
const CURRENCY_AFTER = new RegExp(`^${CURRENCY_WORD}$`);

type Rule = [
  string,
  (
    m: RegExpExecArray,
    clock: Clock,
    stream: TokenStream,
    from: number,
  ) => ResolvedRange | null | 'all',
];

/** Shopping days by name: the date in a given year. */
const HOLIDAYS: Record<string, (year: number) => { month: number; day: number }> = {
  'christmas eve': () => ({ month: 12, day: 24 }),
  'christmas day': () => ({ month: 12, day: 25 }),
  'boxing day': () => ({ month: 12, day: 26 }),
  'new year eve': () => ({ month: 12, day: 31 }),
  'new years eve': () => ({ month: 12, day: 31 }),
  'new year day': () => ({ month: 1, day: 1 }),
  'new years day': () => ({ month: 1, day: 1 }),
  'valentine day': () => ({ month: 2, day: 14 }),
  'valentines day': () => ({ month: 2, day: 14 }),
  halloween: () => ({ month: 10, day: 31 }),
  // The day after the fourth Thursday of November (US Thanksgiving), and the Monday after.
  'black friday': (year) => ({ month: 11, day: thanksgiving(year) + 1 }),
  'cyber monday': (year) => ({ month: 11, day: thanksgiving(year) + 4 }),
};

/** The day of November of the fourth Thursday. */
function thanksgiving(year: number): number {
  const first = DateTime.fromObject({ year, month: 11, day: 1 });
  return 1 + ((4 - first.weekday + 7) % 7) + 21;
}

const RULES: Rule[] = [
  [
    // "the twelve months ending October 2026", "the quarter ended 30 September 2026"
    `(?:the )?(?:(\\d+) (${UNIT})s?|(${UNIT})) (?:that |which )?(?:ending|ended|ending on|ending in|ended on|ended in|to|up to|through) (?:the end of )?(${DATE_ANY})`,
    (m, clock) => {
      const n = m[1] ? Number(m[1]) : 1;
      const unit = unitOf((m[2] ?? m[3])!);
      const last = parseDatePhrase(m[4]!, clock, null);
      if (!last || n < 1 || n > 3660) return null;
      const end = DateTime.fromISO(last.end, { zone: clock.zone });
      return makeRange(clock, end.minus({ [unit + 's']: n }), end, null);
    },
  ],
  [
    // "between 1 and 15 october", "from the 3rd to the 9th of may", "october 1 to 15"
    `(?:(?:between|from) (?:the )?(\\d{1,2}) (?:and|to|until|through|-)|(?:the )?(\\d{1,2}) (?:to|until|through)) (?:the )?(\\d{1,2}) (?:of )?(${MONTH})(?: (${YEAR}))?|(?:between |from )?(${MONTH}) (\\d{1,2}) (?:and|to|until|through|-) (\\d{1,2})(?: (${YEAR}))?`,
    (m, clock) => {
      const [a, b, month, year] =
        m[1] || m[2] ? [m[1] ?? m[2], m[3], m[4], m[5]] : [m[7], m[8], m[6], m[9]];
      const to = parseDatePhrase(`${b} ${month}${year ? ` ${year}` : ''}`, clock, null);
      if (!to || !(Number(a) <= Number(b))) return null;
      const from = parseDatePhrase(`${a} ${month}`, clock, Number(to.start.slice(0, 4)));
      return from ? spanBetween(clock, from, to) : null;
    },
  ],
  [
    // "the first 2 weeks of november", "the last 10 days of october"
    `(?:the )?(first|last) (\\d+ )?(day|week)s? of (?:the month of )?(${MONTH})(?: (${YEAR}))?`,
    (m, clock) => {
      const month = parseDatePhrase(`${m[4]}${m[5] ? ` ${m[5]}` : ''}`, clock, null);
      const n = m[2] ? Number(m[2]) : 1;
      if (!month || n < 1) return null;
      const mStart = DateTime.fromISO(month.start, { zone: clock.zone });
      const mEnd = mStart.plus({ months: 1 });
      const length = { [`${m[3]}s`]: n };
      return m[1] === 'first'
        ? makeRange(clock, mStart, DateTime.min(mStart.plus(length), mEnd), null)
        : makeRange(clock, DateTime.max(mEnd.minus(length), mStart), mEnd, null);
    },
  ],
  [
    // "the week of november 2nd": the Monday-to-Sunday week that holds the day.
    `(?:the )?week of (?:the )?(${SINGLE_DATE})`,
    (m, clock) => {
      const day = parseDatePhrase(m[1]!, clock, null);
      if (!day) return null;
      const start = DateTime.fromISO(day.start, { zone: clock.zone }).startOf('week');
      return makeRange(clock, start, start.plus({ weeks: 1 }), 'week');
    },
  ],
  [
    // "last weekend": Saturday and Sunday before this week; "this weekend" is this
    // week's, up to as_of; "the weekend" is this one on a weekend, else the last.
    `(last|previous|past|this|the) weekend`,
    (m, clock) => {
      const thisWeek = clock.asOf.startOf('week');
      const onWeekend = clock.asOf.weekday >= 6;
      const current = m[1] === 'this' || (m[1] === 'the' && onWeekend);
      const saturday = thisWeek.plus({ days: current ? 5 : -2 });
      if (saturday > clock.asOf) return null;
      return makeRange(clock, saturday, saturday.plus({ days: 2 }), null);
    },
  ],
  [
    // "Black Friday 2025", "on boxing day": without a year, the latest one that has begun.
    `(?:on |during )?(?:the )?(${Object.keys(HOLIDAYS).join('|')})(?: (${YEAR}))?`,
    (m, clock) => {
      const of = HOLIDAYS[m[1]!]!;
      // Days past the month's end roll over (Cyber Monday can be 1 December).
      const on = (year: number) => {
        const { month, day } = of(year);
        return DateTime.fromObject({ year, month }, { zone: clock.zone }).plus({ days: day - 1 });
      };
      let date = on(m[2] ? Number(m[2]) : clock.asOf.year);
      if (!m[2] && date > clock.asOf) date = on(date.year - 1);
      return singleDay(clock, date.year, date.month, date.day);
    },
  ],
  [
    // "March and April combined": two adjacent months as one period.
    `(${MONTH}) and (${MONTH})(?: (${YEAR}))? (?:combined|together|in total|altogether|taken together)`,
    (m, clock) => {
      const to = parseDatePhrase(`${m[2]}${m[3] ? ` ${m[3]}` : ''}`, clock, null);
      if (!to) return null;
      const from = parseDatePhrase(m[1]!, clock, Number(to.start.slice(0, 4)));
      if (!from) return null;
      const fromEnd = DateTime.fromISO(from.start, { zone: clock.zone }).plus({ months: 1 });
      if (fromEnd.toMillis() !== Date.parse(to.start)) return null;
      return spanBetween(clock, from, to);
    },
  ],
  [
    `(?:the )?(?:last|past|previous|prior|trailing|recent) fortnight`,
    (_m, clock) => previousUnits(clock, 'day', 14),
  ],
  [
    `last (${WEEKDAY})|(?:on )?(?:this )?past (${WEEKDAY})`,
    (m, clock) => {
      const day = latestWeekday(clock, (m[1] ?? m[2])!, false);
      return singleDay(clock, day.year, day.month, day.day);
    },
  ],
  [
    `(?:since|from) (${WEEKDAY})(?: onwards| on| until now| to now| to today| up to now)?`,
    (m, clock) => {
      const day = latestWeekday(clock, m[1]!, true);
      const r = makeRange(clock, day, clock.asOf, null);
      return { ...r, label: `since ${day.toISODate()}` };
    },
  ],
  [
    `(?:between|from|(?:for )?the period(?: from)?|(?:for )?the period of) (${DATE_ANY}) (?:and|to|until|through|-) (${DATE_ANY})|(${MONTH}) (?:(?:to|until|through|till) )?(${MONTH}(?: ${YEAR})?)|(${DATE_ANY}) (?:to|until|through) (${DATE_ANY})`,
    (m, clock, stream) => {
      // "compare March 1997 to June 1997": two periods, one compared with the other.
      if (
        m[5] &&
        explicitYear(m[5]) &&
        explicitYear(m[6]!) &&
        stream.tokens.some((t) => /^compar/.test(t))
      )
        return null;
      // "January to June 2026", "jan-jun 2026": two months, the year shared.
      const [fromText, toText] = m[3] ? [m[3], m[4]!] : m[5] ? [m[5], m[6]!] : [m[1]!, m[2]!];
      const to = parseDatePhrase(toText, clock, null);
      if (!to) return null;
      const toYear = explicitYear(toText) ?? Number(to.start.slice(0, 4));
      let from = parseDatePhrase(fromText, clock, explicitYear(fromText) ?? toYear);
      if (from && explicitYear(fromText) === null && from.start > to.start) {
        from = parseDatePhrase(fromText, clock, toYear - 1);
      }
      const span = from ? spanBetween(clock, from, to) : null;
      if (span && from) BETWEEN_ENDS.set(span, [from, to]);
      return span;
    },
  ],
  [
    `(?:the )?(first|last|final) (\\d+ )?(${UNIT})s? of (?:the year )?(${YEAR_REF})`,
    (m, clock) => {
      const year = namedPeriod(clock, 'year', yearOf(m[4], clock), 1);
      const n = m[2] ? Number(m[2]) : 1;
      if (!m[2] && m[1] === 'first') return null;
      if (!year || n < 1) return null;
      const unit = unitOf(m[3]!);
      const yStart = DateTime.fromISO(year.start, { zone: clock.zone });
      const yEnd = yStart.plus({ years: 1 });
      return m[1] === 'first'
        ? makeRange(clock, yStart, yStart.plus({ [unit + 's']: n }), null)
        : makeRange(clock, yEnd.minus({ [unit + 's']: n }), yEnd, null);
    },
  ],
  [
    `since (?:the )?(?:start|beginning|begin) of (?:the |this )?(${UNIT})`,
    (m, clock) => currentToDate(clock, unitOf(m[1]!)),
  ],
  [
    // "since the start of 2025", "since the beginning of last year / of March"
    `since (?:the )?(?:start|beginning|begin) of (?:(?:the )?(last|previous|prior) (${UNIT})|(?:the year )?(${YEAR_REF})|(${DATE_ANY}))`,
    (m, clock) => {
      const from = m[2]
        ? previousUnits(clock, unitOf(m[2]), 1)
        : m[3]
          ? namedPeriod(clock, 'year', yearOf(m[3], clock), 1)
          : parseDatePhrase(m[4]!, clock, null);
      return from ? sinceStart(clock, from) : null;
    },
  ],
  [
    // "sales of november until today": from that period's start up to as_of.
    `(?:of |from |in )?(?:the )?(${DATE_ANY}) (?:until|up to|to|through) (?:today|now)`,
    (m, clock) => {
      const d = parseDatePhrase(m[1]!, clock, null);
      return d ? sinceStart(clock, d) : null;
    },
  ],
  [
    `(?:since|starting|starting from) (?:the )?(${DATE_ANY})(?: onwards| on| until now| to now| to today| up to now)?|from (?:the )?(${DATE_ANY}) (?:onwards|on|until now|to now|to today|up to now|till now)`,
    (m, clock) => {
      const d = parseDatePhrase((m[1] ?? m[2])!, clock, null);
      return d ? sinceStart(clock, d) : null;
    },
  ],
  [
    `(?:the )?(?:last|past|previous|prior|trailing|recent|latest|rolling) (\\d+) (?:full |complete |whole |calendar )?(${UNIT}s?)`,
    (m, clock) => {
      const n = +m[1]!;
      return n > 0 && n <= 3660 ? previousUnits(clock, unitOf(m[2]!), n) : null;
    },
  ],
  [`(\\d+) (${UNIT}s?) ago`, (m, clock) => unitsAgo(clock, unitOf(m[2]!), +m[1]!)],
  [
    // "2025 YTD": that year's start up to the day of the year as_of has reached.
    `(${YEAR}) year to date|year to date (?:in |for |of )?(${YEAR})`,
    (m, clock) => {
      const year = +(m[1] ?? m[2])!;
      if (year === clock.asOf.year) return currentToDate(clock, 'year');
      const start = DateTime.fromObject({ year }, { zone: clock.zone });
      const elapsed = clock.asOf.diff(clock.asOf.startOf('year'));
      const r = makeRange(clock, start, start.plus(elapsed), null);
      return { ...r, label: `${year} to date (${describeSpan(r, clock.zone)})` };
    },
  ],
  [
    // "calendar week 45", "ISO week 16 of 1998", "week 46 2026": ISO weeks, Monday to Sunday.
    `(?:(?:the )?(?:calendar|iso) )?(?:week|wk|kw|cw) (?:number |no |nr )?(\\d{1,2})(?: (?:of |in )?(${YEAR_REF}))?`,
    (m, clock) => {
      const weekNumber = +m[1]!;
      let weekYear = yearOf(m[2], clock) ?? clock.asOf.weekYear;
      let start = DateTime.fromObject({ weekYear, weekNumber }, { zone: clock.zone });
      // Without a year, the latest week of that number that has begun.
      if (!m[2] && start > clock.asOf) {
        weekYear -= 1;
        start = DateTime.fromObject({ weekYear, weekNumber }, { zone: clock.zone });
      }
      if (!start.isValid || start.weekNumber !== weekNumber) return null;
      const r = makeRange(clock, start, start.plus({ weeks: 1 }), 'week');
      return { ...r, label: `week ${weekNumber} of ${weekYear}` };
    },
  ],
  [`(?:the )?(${UNIT}) before last`, (m, clock) => unitsAgo(clock, unitOf(m[1]!), 2)],
  [`(?:the )?day before yesterday`, (_m, clock) => unitsAgo(clock, 'day', 2)],
  [`(${YEAR}) h([12])`, (m, clock) => namedPeriod(clock, 'month', +m[1]!, m[2] === '1' ? 1 : 7, 6)],
  [`(${YEAR}) q([1-4])`, (m, clock) => namedPeriod(clock, 'quarter', +m[1]!, +m[2]!)],
  [
    `(?:the )?(first|1|second|2) half(?: of)?(?: the year)?(?: (${YEAR_REF}))?`,
    (m, clock) => {
      const h = ORD[m[1]!] ?? 1;
      return namedPeriod(clock, 'month', yearOf(m[2], clock), h === 1 ? 1 : 7, 6);
    },
  ],
  [
    `h([12])(?: (?:of )?(${YEAR_REF}|\\d{2}))?`,
    (m, clock) => namedPeriod(clock, 'month', yearOf(m[2], clock), m[1] === '1' ? 1 : 7, 6),
  ],
  [
    `q([1-4])(?: (?:of )?(${YEAR_REF}|\\d{2}))?`,
    (m, clock) => namedPeriod(clock, 'quarter', yearOf(m[2], clock), +m[1]!),
  ],
  [
    `(?:the )?(first|1|second|2|third|3|fourth|4) quarter(?: of)?(?: the year)?(?: (${YEAR_REF}))?`,
    (m, clock) => namedPeriod(clock, 'quarter', yearOf(m[2], clock), ORD[m[1]!] ?? 1),
  ],
  [`(?:on )?(?:the )?(?:day )?(${SINGLE_DATE})`, (m, clock) => parseDatePhrase(m[1]!, clock, null)],
  [
    // "the month of August", "September month", "October 2025"
    `(?:(?:the )?month (?:of )?)?(${MONTH})(?: month)?(?: (?:of )?(${YEAR_REF}|\\d{2}))?`,
    (m, clock, stream, from) => {
      // "october 15" is a day (read by the rule before); only 32..99 are years here.
      if (m[2] && /^\d{2}$/.test(m[2]) && Number(m[2]) <= 31) return null;
      const year = m[2] ? yearOf(m[2], clock) : null;
      if (m[2] && year === null) return null;
      // "may" is also a verb: only read it as the month where a month can stand.
      if (m[1] === 'may' && !m[2] && !/\bmonth\b/.test(m[0])) {
        const before = stream.tokens[from - 1] ?? '';
        const isLast = from === stream.tokens.length - 1;
        // "may sales" opens with the month; "may I see …" with the verb.
        const opensWithMonth =
          from === 0 && !/^(i|we|you|they|he|she|it|me|us)$/.test(stream.tokens[1] ?? '');
        if (
          !isLast &&
          !opensWithMonth &&
          !/^(in|for|during|of|since|from|to|until|and|through|versus|than|with|last|this|early|late)$/.test(
            before,
          )
        )
          return null;
      }
      return namedPeriod(clock, 'month', year, MONTH_NAMES.indexOf(m[1]!) + 1);
    },
  ],
  [`today|so far today`, (_m, clock) => currentToDate(clock, 'day')],
  [`yesterday`, (_m, clock) => unitsAgo(clock, 'day', 1)],
  [
    `(?:so far |to date )?(?:this|the current|current|this calendar) (${UNIT})(?: so far| to date| until now| up to now| till now)?(?: so far)?`,
    (m, clock) => currentToDate(clock, unitOf(m[1]!)),
  ],
  [
    `(?:so far|to date) (?:this|in the current|in this) (${UNIT})`,
    (m, clock) => currentToDate(clock, unitOf(m[1]!)),
  ],
  [
    `(?:the )?(${UNIT}) (?:to date(?: so far)?|so far)`,
    (m, clock) => currentToDate(clock, unitOf(m[1]!)),
  ],
  [
    `(?:the )?(?:last|previous|prior|past|preceding) (?:full |complete |whole |calendar )?(${UNIT})`,
    (m, clock) => previousUnits(clock, unitOf(m[1]!), 1),
  ],
  [
    // "last weeks revenue": a possessive without its apostrophe, not several weeks.
    `(?:the )?(?:last|previous|past) (${UNIT})s(?= (?:revenue|sales|orders|turnover|units|numbers|figures|results|takings|total|totals)(?: |$))`,
    (m, clock) => previousUnits(clock, unitOf(m[1]!), 1),
  ],
  [
    // Word order of other languages: "the month passed", "the week last", "the quarter past".
    `(?:the )?(${UNIT}) (?:passed|past|gone|last|previous)`,
    (m, clock, stream, from) => {
      const next = stream.tokens[from + m[0].split(' ').length] ?? '';
      if (/^(?:day|week|month|quarter|year|days|weeks|months|years|\d+)$/.test(next)) return null;
      return previousUnits(clock, unitOf(m[1]!), 1);
    },
  ],
  [
    // "orders on tuesday", "the orders of the friday": the latest such day, today included.
    `(?:on|the) (${WEEKDAY})`,
    (m, clock) => {
      const day = latestWeekday(clock, m[1]!, true);
      return singleDay(clock, day.year, day.month, day.day);
    },
  ],
  [
    `(?:since (?:the )?(?:beginning|start|launch|opening)(?! of )|of all time|all time|ever|overall|in total|lifetime|historically|altogether|all together|till date|up to now|until now|to date)`,
    () => 'all',
  ],
  [
    // "revenue in 97", "orders during '98": a two-digit year after a preposition,
    // when it cannot be a day (32-99) and nothing after it makes it a count.
    `(?:in|during|for) (?:the year )?(\\d{2})`,
    (m, clock, stream, from) => {
      const after = stream.tokens[from + 2 + (m[0].includes('year') ? 2 : 0)];
      if (Number(m[1]) <= 31 || (after !== undefined && !YEAR_FOLLOWER.test(after))) return null;
      return namedPeriod(clock, 'year', yearOf(m[1], clock), 1);
    },
  ],
  [
    `(?:the )?(?:year |calendar year |calendar |fiscal year )?(${YEAR})`,
    (m, clock, stream, from) => {
      // "orders over $2000", "above 1950 euros": an amount, not a year.
      const before = stream.tokens[from - 1] ?? '';
      const after = stream.tokens[from + m[0].split(' ').length] ?? '';
      if (!/\byear\b/.test(m[0]) && (AMOUNT_BEFORE.test(before) || CURRENCY_AFTER.test(after)))
        return null;
      return namedPeriod(clock, 'year', +m[1]!, 1);
    },
  ],
];

/**
 * Find every period phrase, most specific rules first, and mark its words
 * explained. Returns them in question order.
 */
export function findTimeSpans(stream: TokenStream, clock: Clock): TimeSpan[] {
  const spans: TimeSpan[] = [];
  for (const [body, build] of RULES) {
    stream.take(body, (m, from, to) => {
      const r = build(m, clock, stream, from);
      if (r === null) return false;
      spans.push({ from, to, range: r === 'all' ? null : r });
      return true;
    });
  }
  return spans.sort((a, b) => a.from - b.from);
}
