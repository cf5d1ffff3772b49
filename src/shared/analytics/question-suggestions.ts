/**
 * Canonical questions Tier 1 answers exactly; offered when a question is not
 * understood and shown in the API docs. A unit test parses every one of them.
 */
const SUGGESTIONS = [
  'How many orders did we get last week?',
  'How many orders yesterday?',
  'Revenue this month so far',
  'Revenue last month compared to the month before',
  'Revenue year to date vs the same period last year',
  'What was our revenue in March?',
  'Total sales last year',
  'Average order value last month',
  'Average order value by channel this quarter',
  'Units sold in the last 30 days',
  'Top 5 products by revenue last month',
  'Top 10 products by units sold this year',
  'Best-selling product last week',
  'Worst 5 products by revenue this year',
  'Revenue by category last quarter',
  'Share of revenue by category this year',
  'Revenue by country last month',
  'Which country had the most orders this year?',
  'Top 3 customers by revenue this year',
  'How many new customers did we get last month?',
  'How many customers ordered last month?',
  'How many customers do we have?',
  'Daily orders last week',
  'Weekly revenue over the last 8 weeks',
  'Monthly revenue this year',
  'Orders over $100 last month',
  'Refund rate last quarter',
  'How many cancelled orders last month?',
  'Largest order this year',
  'How many active products are out of stock?',
  'Stock on hand by category',
  'Revenue by payment method last month',
];

export function suggestQuestions(): string[] {
  return [...SUGGESTIONS];
}
