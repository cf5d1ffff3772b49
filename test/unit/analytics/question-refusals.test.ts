import { describe, expect, it } from 'vitest';
import {
  isInsightQuestion,
  parseQuestion,
  suggestQuestions,
} from '../../../src/shared/analytics/index.js';
import { AS_OF, parse } from './parse-helpers.js';

/** Questions Tier 1 must not guess at: [question, a word reported as unplaced, or null for a reason only]. */
const REFUSED: [string, string | null][] = [
  ['why did sales drop last month', 'why'],
  ['what is our profit margin', 'profit margin'],
  ['gross profit last month', 'profit'],
  ['what were our costs last month', 'costs'],
  ['how many orders next month', null],
  ['shipping revenue last year', 'shipping'],
  ['revenue from Sir Rodney', 'sir rodney'],
  ['revenue from Narnia', 'narnia'],
  ['conversion rate last week', 'conversion rate'],
  ['how many visitors yesterday', 'visitors'],
  ['revenue per employee', 'per employee'],
  ['how many orders did we get on st patrick day', 'st patrick day'],
  ['orders on 03/05/1998', '03/05/1998'],
  ['tell me a joke', 'joke'],
  ['asdf qwer', 'asdf qwer'],
  ['revenue in march and april', null],
  ['revenue and orders last month', null],
  ['give me the top 3', null],
  ['Germany last month', null],
  ['revenue mom', null],
  ['orders in 2030', null],
  ['average order value by product', null],
  ['new customers by category', null],
  ['how many customers paid by card', null],
  ['stock on hand by country', null],
  ['top 5 orders', null],
  ['orders with the highest value last month', null],
  // How often a customer ordered is no order amount.
  ['customers who ordered more than 5 times', null],
  ['which customers spent more than $10,000 in 1997', null],
  ['how are things going?', null],
  // Two breakdowns, however the second is phrased.
  ['daily revenue split by country', null],
  // A breakdown with nothing to break it down by.
  ['revenue breakdown', 'breakdown'],
  // A forecast is not the period so far.
  ['what will Q1 1998 revenue be', null],
  ['how much will we sell in 1998', null],
  // A US state is no order status.
  ['orders by state', 'state'],
  ['compare revenue in march to june 1997', null],
  // A period that only ends is not that month: "up to March" is not March.
  ['revenue up to March 1998', null],
  ['how many customers did we have by April', null],
  ['orders until February 1998', null],
  ['revenue through 1997', null],
  // "in percent" only reads as a comparison's change.
  ['revenue in percent', 'percent'],
  ['share of revenue', null],
  // Shares are of revenue or of orders: never a count in a share's place.
  ['share of customers paying by card', null],
  ['share of orders by category', null],
  ['', null],
  ['???', null],
  ['the month before', null],
  // Lookalikes: answering them by dropping a word would be a wrong number.
  ['orders with more than 3 items last month', 'more than 3'],
  ['orders with 2 or more items', null],
  ['whats the smallest order this month', null],
  ['revenue from business customers this year', null],
  ['how many returning customers did we have last month', null],
  ['customer lifetime value', null],
  // One value is nothing to set side by side; a shared year is not guessed.
  ['revenue Germany vs', null],
  ['compare orders in march and april 1998', null],
  ['orders in the last 7 days vs the previous 30 days', null],
];

describe('not understood, never guessed', () => {
  it.each(REFUSED)('%s', (question, unplaced) => {
    const r = parse(question);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason.length).toBeGreaterThan(0);
      if (unplaced) expect(r.unplaced).toContain(unplaced);
    }
  });

  it('without the shop vocabulary, product names are not guessed', () => {
    const r = parse('revenue from Chai in 1997', { vocabulary: null });
    expect(r).toMatchObject({ ok: false, unplaced: ['chai'] });
  });

  it('without the shop vocabulary, countries still resolve', () => {
    const r = parse('orders from Germany in 1997', { vocabulary: null });
    expect(r.ok && r.query.filters).toEqual([
      {
        kind: 'dimension',
        dimension: 'country',
        values: ['Germany'],
        labels: ['Germany'],
        negate: false,
      },
    ]);
  });
});

const INSIGHT: [string, boolean][] = [
  ['why did sales drop last month?', true],
  ['what is the trend in revenue', true],
  ['anything unusual this week?', true],
  ['what stands out in April', true],
  ['explain the revenue change', true],
  ['what drove the increase in orders', true],
  ['How are we doing?', true],
  ['revenue spiked on Monday, what happened?', true],
  ['revenue last month', false],
  ['top 5 products by revenue', false],
  ['how many orders did we get', false],
  ['revenue this month compared to last month', false],
];

describe('insight questions go to the rag tier', () => {
  it.each(INSIGHT)('%s → %s', (question, insight) => {
    expect(isInsightQuestion(question)).toBe(insight);
  });
});

describe('suggested questions', () => {
  it('are all answered by Tier 1', () => {
    const list = suggestQuestions();
    expect(list.length).toBeGreaterThanOrEqual(30);
    for (const q of list) {
      const r = parseQuestion(q, { asOf: AS_OF, timezone: 'UTC' });
      expect(r.ok, `${q}: ${r.ok ? '' : r.reason}`).toBe(true);
      expect(isInsightQuestion(q), q).toBe(false);
    }
  });
});
