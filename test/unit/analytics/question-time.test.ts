import { describe, expect, it } from 'vitest';
import { parseQuestion } from '../../../src/shared/analytics/index.js';
import { describeSpan } from '../../../src/shared/analytics/time-range.resolver.js';
import { AS_OF, parse, parsed } from './parse-helpers.js';

/** asOf Wednesday 1998-05-06 18:00 UTC. [phrase, inclusive span in the shop's zone]. */
const RANGES: [string, string | null][] = [
  ['today', '1998-05-06..1998-05-06'],
  ['so far today', '1998-05-06..1998-05-06'],
  ['yesterday', '1998-05-05..1998-05-05'],
  ['the day before yesterday', '1998-05-04..1998-05-04'],
  ['this week', '1998-05-04..1998-05-06'],
  ['this week so far', '1998-05-04..1998-05-06'],
  ['week to date', '1998-05-04..1998-05-06'],
  ['this month', '1998-05-01..1998-05-06'],
  ['this month so far', '1998-05-01..1998-05-06'],
  ['month-to-date', '1998-05-01..1998-05-06'],
  ['MTD', '1998-05-01..1998-05-06'],
  ['this quarter', '1998-04-01..1998-05-06'],
  ['quarter to date', '1998-04-01..1998-05-06'],
  ['this year', '1998-01-01..1998-05-06'],
  ['year to date', '1998-01-01..1998-05-06'],
  ['YTD', '1998-01-01..1998-05-06'],
  ['so far this year', '1998-01-01..1998-05-06'],
  ['since the start of the year', '1998-01-01..1998-05-06'],
  ['the current month', '1998-05-01..1998-05-06'],
  ['last week', '1998-04-27..1998-05-03'],
  ['previous week', '1998-04-27..1998-05-03'],
  ['the past week', '1998-04-27..1998-05-03'],
  ['last month', '1998-04-01..1998-04-30'],
  ['previous month', '1998-04-01..1998-04-30'],
  ['the last full month', '1998-04-01..1998-04-30'],
  ['last quarter', '1998-01-01..1998-03-31'],
  ['prior quarter', '1998-01-01..1998-03-31'],
  ['last year', '1997-01-01..1997-12-31'],
  ['the previous year', '1997-01-01..1997-12-31'],
  ['last 7 days', '1998-04-29..1998-05-05'],
  ['in the last 7 days', '1998-04-29..1998-05-05'],
  ['past seven days', '1998-04-29..1998-05-05'],
  ['the last 30 days', '1998-04-06..1998-05-05'],
  ['over the past 14 days', '1998-04-22..1998-05-05'],
  ['last 1 day', '1998-05-05..1998-05-05'],
  ['last 2 weeks', '1998-04-20..1998-05-03'],
  ['past three weeks', '1998-04-13..1998-05-03'],
  ['last 3 months', '1998-02-01..1998-04-30'],
  ['past six months', '1997-11-01..1998-04-30'],
  ['trailing 12 months', '1997-05-01..1998-04-30'],
  ['last 2 quarters', '1997-10-01..1998-03-31'],
  ['last 2 years', '1996-01-01..1997-12-31'],
  ['3 days ago', '1998-05-03..1998-05-03'],
  ['two weeks ago', '1998-04-20..1998-04-26'],
  ['2 months ago', '1998-03-01..1998-03-31'],
  ['the week before last', '1998-04-20..1998-04-26'],
  ['the month before last', '1998-03-01..1998-03-31'],
  ['in March', '1998-03-01..1998-03-31'],
  ['in march 1998', '1998-03-01..1998-03-31'],
  ['March of 1997', '1997-03-01..1997-03-31'],
  ['in Mar 97', '1997-03-01..1997-03-31'],
  ["in march '97", '1997-03-01..1997-03-31'],
  ['in December', '1997-12-01..1997-12-31'],
  ['in May', '1998-05-01..1998-05-06'],
  ['in june', '1997-06-01..1997-06-30'],
  ['in february 1997', '1997-02-01..1997-02-28'],
  ['in February 1996', '1996-02-01..1996-02-29'],
  ['in sept 1997', '1997-09-01..1997-09-30'],
  ['for march last year', '1997-03-01..1997-03-31'],
  ['in Q1 1998', '1998-01-01..1998-03-31'],
  ['Q4 1997', '1997-10-01..1997-12-31'],
  ['in q3', '1997-07-01..1997-09-30'],
  ['in 1997 Q2', '1997-04-01..1997-06-30'],
  ['in the first quarter of 1997', '1997-01-01..1997-03-31'],
  ['in the third quarter of last year', '1997-07-01..1997-09-30'],
  ['the 4th quarter of 1996', '1996-10-01..1996-12-31'],
  ['Q2 of this year', '1998-04-01..1998-05-06'],
  ['in the last quarter of 1997', '1997-10-01..1997-12-31'],
  ['in H1 1997', '1997-01-01..1997-06-30'],
  ['in H2 1997', '1997-07-01..1997-12-31'],
  ['first half of 1997', '1997-01-01..1997-06-30'],
  ['the second half of last year', '1997-07-01..1997-12-31'],
  ['in the first six months of 1997', '1997-01-01..1997-06-30'],
  ['in the last 3 months of 1997', '1997-10-01..1997-12-31'],
  ['in 1997', '1997-01-01..1997-12-31'],
  ['for the year 1996', '1996-01-01..1996-12-31'],
  ['during 1998', '1998-01-01..1998-05-06'],
  ['on 1998-03-05', '1998-03-05..1998-03-05'],
  ['on March 5th 1998', '1998-03-05..1998-03-05'],
  ['on 5 March 1998', '1998-03-05..1998-03-05'],
  ['on the 5th of March', '1998-03-05..1998-03-05'],
  ['on march 5', '1998-03-05..1998-03-05'],
  ['on 25/12/1997', '1997-12-25..1997-12-25'],
  ['on 12/25/1997', '1997-12-25..1997-12-25'],
  ['on December 31', '1997-12-31..1997-12-31'],
  ['between 1998-01-01 and 1998-01-31', '1998-01-01..1998-01-31'],
  ['from 1998-02-10 to 1998-02-20', '1998-02-10..1998-02-20'],
  ['between March 1 and March 15 1998', '1998-03-01..1998-03-15'],
  ['from March to May 1998', '1998-03-01..1998-05-06'],
  ['from November to February 1998', '1997-11-01..1998-02-28'],
  ['between 1996 and 1997', '1996-01-01..1997-12-31'],
  ['from Q1 1997 to Q2 1997', '1997-01-01..1997-06-30'],
  ['since February 1998', '1998-02-01..1998-05-06'],
  ['since 1998-04-15', '1998-04-15..1998-05-06'],
  ['from April 1998 onwards', '1998-04-01..1998-05-06'],
  ['over the past fortnight', '1998-04-22..1998-05-05'],
  ['for the final quarter of 1997', '1997-10-01..1997-12-31'],
  ['in the month of april', '1998-04-01..1998-04-30'],
  ['Jan-Mar 1998', '1998-01-01..1998-03-31'],
  ['january to march 1998', '1998-01-01..1998-03-31'],
  ['november to february', '1997-11-01..1998-02-28'],
  ['for the period 1 February 1998 to 15 March 1998', '1998-02-01..1998-03-15'],
  ['april month', '1998-04-01..1998-04-30'],
  ['in the month of may 1997', '1997-05-01..1997-05-31'],
  ['tdy', '1998-05-06..1998-05-06'],
  ['yday', '1998-05-05..1998-05-05'],
  ['last 7d', '1998-04-29..1998-05-05'],
  ['between 1 and 15 april', '1998-04-01..1998-04-15'],
  ['from the 3rd to the 9th of april', '1998-04-03..1998-04-09'],
  ['april 20 to 26', '1998-04-20..1998-04-26'],
  ['since the 1st of april', '1998-04-01..1998-05-06'],
  ['for the week of april 15th', '1998-04-13..1998-04-19'],
  ['for the first 2 weeks of april', '1998-04-01..1998-04-14'],
  ['in the last 10 days of april', '1998-04-21..1998-04-30'],
  // asOf is a Wednesday: "last monday" is two days back, "last wednesday" a week back.
  ['last monday', '1998-05-04..1998-05-04'],
  ['last wednesday', '1998-04-29..1998-04-29'],
  ['since monday', '1998-05-04..1998-05-06'],
  ['since wednesday', '1998-05-06..1998-05-06'],
  ['all time', null],
  ['ever', null],
  ['for the twelve months ending March 1998', '1997-04-01..1998-03-31'],
  ['the quarter ended 31 March 1998', '1998-01-01..1998-03-31'],
  ['in the 3 months ended february 1998', '1997-12-01..1998-02-28'],
  ['calendar 1997', '1997-01-01..1997-12-31'],
  ['for the month so far', '1998-05-01..1998-05-06'],
  ['since the beginning', null],
  // "since the start of <period>" starts there; it is not all time.
  ['since the start of 1997', '1997-01-01..1998-05-06'],
  ['since the beginning of last year', '1997-01-01..1998-05-06'],
  ['since the start of last month', '1998-04-01..1998-05-06'],
  ['since the beginning of march', '1998-03-01..1998-05-06'],
  ['overall', null],
  ['', null],
  // Two-digit years: in the century that puts them at or before as_of's year.
  ['in 97', '1997-01-01..1997-12-31'],
  ["during '96", '1996-01-01..1996-12-31'],
  ['q1 98', '1998-01-01..1998-03-31'],
  ['Q4 of 97', '1997-10-01..1997-12-31'],
  ['h2 97', '1997-07-01..1997-12-31'],
  ['rolling 12 months', '1997-05-01..1998-04-30'],
  ['over the rolling 90 days', '1998-02-05..1998-05-05'],
  // A past year "to date": its start up to the point of the year as_of has reached.
  ['1997 YTD', '1997-01-01..1997-05-06'],
  ['year to date 1998', '1998-01-01..1998-05-06'],
  // ISO weeks (Monday to Sunday); without a year, the latest that has begun.
  ['calendar week 15', '1998-04-06..1998-04-12'],
  ['ISO week 1 of 1998', '1997-12-29..1998-01-04'],
  ['in week 52', '1997-12-22..1997-12-28'],
  ['wk 19', '1998-05-04..1998-05-06'],
  ['last fri', '1998-05-01..1998-05-01'],
  ['since mon', '1998-05-04..1998-05-06'],
  // Ends without "from", days with weekdays, months as 1997-07.
  ['for the twelve months to March 1998', '1997-04-01..1998-03-31'],
  ['Monday 27 April 1998 through Sunday 3 May 1998', '1998-04-27..1998-05-03'],
  ['24 to 28 april 1998', '1998-04-24..1998-04-28'],
  ['april 1-15 1998', '1998-04-01..1998-04-15'],
  ['1st april 1998 to 30th april 1998', '1998-04-01..1998-04-30'],
  ['july 1997 through december 1997', '1997-07-01..1997-12-31'],
  ['1997-07 through 1997-12', '1997-07-01..1997-12-31'],
  ['w/c 20 april 1998', '1998-04-20..1998-04-26'],
  ['of april until today', '1998-04-01..1998-05-06'],
  // Learners' word order and words.
  ['since the begin of the year', '1998-01-01..1998-05-06'],
  ['in the month passed', '1998-04-01..1998-04-30'],
  ['the week last', '1998-04-27..1998-05-03'],
  // A bare weekday: the latest one, today included (as_of is a Wednesday).
  ['on tuesday', '1998-05-05..1998-05-05'],
  ['on wednesday', '1998-05-06..1998-05-06'],
  ['of the day 1998-05-05', '1998-05-05..1998-05-05'],
  // Shopping days; without a year, the latest that has begun.
  ['on black friday 1997', '1997-11-28..1997-11-28'],
  ['on cyber monday 1997', '1997-12-01..1997-12-01'],
  ['on christmas day', '1997-12-25..1997-12-25'],
  ["on new year's eve 1996", '1996-12-31..1996-12-31'],
  ['on boxing day', '1997-12-26..1997-12-26'],
  ['in march and april combined', '1998-03-01..1998-04-30'],
  // as_of is a Wednesday: last weekend is Saturday and Sunday just gone.
  ['last weekend', '1998-05-02..1998-05-03'],
  ['the weekend', '1998-05-02..1998-05-03'],
  ['april 15th - april 30th', '1998-04-15..1998-04-30'],
];

describe('time ranges against as_of (UTC)', () => {
  it.each(RANGES)('revenue %s → %s', (phrase, span) => {
    expect(parsed(`revenue ${phrase}`).range).toBe(span);
  });
});

/** [asOf, zone, phrase, span]: month, year and DST edges; the shop's zone decides the day. */
const EDGES: [string, string, string, string][] = [
  ['1998-01-01T02:00:00Z', 'UTC', 'yesterday', '1997-12-31..1997-12-31'],
  ['1998-01-01T02:00:00Z', 'UTC', 'last month', '1997-12-01..1997-12-31'],
  ['1998-01-01T02:00:00Z', 'UTC', 'last year', '1997-01-01..1997-12-31'],
  ['1998-01-01T02:00:00Z', 'UTC', 'this year', '1998-01-01..1998-01-01'],
  ['1998-01-01T02:00:00Z', 'UTC', 'last 7 days', '1997-12-25..1997-12-31'],
  ['1998-01-01T02:00:00Z', 'UTC', 'last quarter', '1997-10-01..1997-12-31'],
  ['1998-01-01T02:00:00Z', 'UTC', 'in December', '1997-12-01..1997-12-31'],
  ['1998-01-01T02:00:00Z', 'UTC', 'in January', '1998-01-01..1998-01-01'],
  ['1998-01-01T02:00:00Z', 'America/Los_Angeles', 'today', '1997-12-31..1997-12-31'],
  ['1998-01-01T02:00:00Z', 'America/Los_Angeles', 'this year', '1997-01-01..1997-12-31'],
  ['1998-01-01T02:00:00Z', 'America/Los_Angeles', 'last month', '1997-11-01..1997-11-30'],
  ['1998-01-01T02:00:00Z', 'Europe/Berlin', 'yesterday', '1997-12-31..1997-12-31'],
  ['1998-01-01T02:00:00Z', 'Asia/Tokyo', 'last week', '1997-12-22..1997-12-28'],
  ['1998-03-01T05:00:00Z', 'UTC', 'last month', '1998-02-01..1998-02-28'],
  ['1998-03-01T05:00:00Z', 'America/New_York', 'last month', '1998-02-01..1998-02-28'],
  ['1998-03-01T05:00:00Z', 'America/Los_Angeles', 'last month', '1998-01-01..1998-01-31'],
  ['1996-03-01T12:00:00Z', 'UTC', 'last month', '1996-02-01..1996-02-29'],
  ['1998-03-31T23:30:00Z', 'Europe/Berlin', 'this month', '1998-04-01..1998-04-01'],
  ['1998-03-31T23:30:00Z', 'UTC', 'this quarter', '1998-01-01..1998-03-31'],
  ['1998-01-04T23:30:00Z', 'UTC', 'last week', '1997-12-22..1997-12-28'],
  ['1998-01-04T23:30:00Z', 'Europe/Berlin', 'last week', '1997-12-29..1998-01-04'],
  ['1998-01-05T10:00:00Z', 'UTC', 'this week', '1998-01-05..1998-01-05'],
  ['2024-03-31T12:00:00Z', 'Europe/Berlin', 'yesterday', '2024-03-30..2024-03-30'],
  ['2024-11-04T12:00:00Z', 'America/New_York', 'last 7 days', '2024-10-28..2024-11-03'],
  ['2024-02-29T12:00:00Z', 'UTC', 'the same day last year', '2024-02-29..2024-02-29'],
];

describe('relative dates across month, year and zone boundaries', () => {
  it.each(EDGES.filter((e) => !e[2].includes('same day')))(
    '%s in %s: %s → %s',
    (asOf, timezone, phrase, span) => {
      expect(parsed(`orders ${phrase}`, { asOf: new Date(asOf), timezone }).range).toBe(span);
    },
  );

  it("puts range bounds at the zone's midnight, in UTC ISO strings", () => {
    const r = parse('revenue last month', {
      asOf: new Date('1998-03-01T05:00:00Z'),
      timezone: 'America/New_York',
    });
    expect(r.ok && r.query.range).toMatchObject({
      start: '1998-02-01T05:00:00.000Z',
      end: '1998-03-01T05:00:00.000Z',
      unit: 'month',
    });
  });

  it('caps a period that contains as_of at as_of', () => {
    const r = parse('revenue in 1998');
    expect(r.ok && r.query.range?.end).toBe('1998-05-06T18:00:00.000Z');
  });

  it.each(['orders in 20 countries', 'revenue in 12 orders', 'orders in 97 countries'])(
    'a small number after "in" is not a year: %s',
    (question) => {
      const r = parse(question);
      expect(r.ok && r.query.range).toBeFalsy();
    },
  );

  it.each([
    ['last weeks revenue', '1998-04-27..1998-05-03'],
    ['may sales', '1998-05-01..1998-05-06'],
  ])('%s → %s', (question, span) => {
    expect(parsed(question).range).toBe(span);
  });

  it('"may I …" is the verb, not the month', () => {
    expect(parse('may i see the sales for march')).toMatchObject({ ok: false });
  });

  it('counts the days in a time zone the question names', () => {
    const r = parse('How many orders were placed on 1 July 1997 (UK time)?', {
      timezone: 'America/Los_Angeles',
    });
    expect(r.ok && [r.query.timezone, r.query.range?.start, r.query.filters]).toEqual([
      'Europe/London',
      '1997-06-30T23:00:00.000Z',
      [],
    ]);
    const east = parse('daily revenue last week East Coast time');
    expect(east.ok && east.query.timezone).toBe('America/New_York');
    const followUp = parse('and the day before?', { previous: r.ok ? r.query : undefined });
    expect(followUp.ok && [followUp.query.timezone, followUp.query.range?.start]).toEqual([
      'Europe/London',
      '1997-06-29T23:00:00.000Z',
    ]);
    // "UK" without "time" is still the country.
    expect(parsed('orders from the UK yesterday').filters).toEqual(['country=UK']);
  });

  it("reads numeric dates in the shop locale's order, and refuses them without one", () => {
    const on = (question: string, locale?: string) => {
      const r = parseQuestion(question, {
        asOf: AS_OF,
        timezone: 'UTC',
        ...(locale ? { locale } : {}),
      });
      return r.ok ? describeSpan(r.query.range!, 'UTC') : null;
    };
    expect(on('orders on 3/9/1997', 'en-US')).toBe('1997-03-09..1997-03-09');
    expect(on('orders on 3/9/1997', 'en-GB')).toBe('1997-09-03..1997-09-03');
    expect(on('orders on 3/9/1997')).toBeNull();
    // One order is impossible, so the other is meant, whatever the locale.
    expect(on('orders on 13/9/1997')).toBe('1997-09-13..1997-09-13');
    expect(on('revenue from 12/1/97 thru 12/15/97', 'en-US')).toBe('1997-12-01..1997-12-15');
    expect(on('orders on 4/1', 'en-US')).toBe('1998-04-01..1998-04-01');
    expect(on('revenue for 9/1997')).toBe('1997-09-01..1997-09-30');
  });

  it('refuses an unknown time zone', () => {
    expect(parse('revenue last month', { timezone: 'Mars/Olympus' })).toMatchObject({ ok: false });
  });
});
