import { DIMENSIONS, METRICS } from './catalogue.js';
import { describeSpan } from './time-range.resolver.js';
import type { ResolvedRange, StructuredQuery, TimeDimension } from './structured-query.js';

export interface FormatOptions {
  currency: string;
  locale?: string;
  timezone: string;
}

type Formats = { money: Intl.NumberFormat; count: Intl.NumberFormat; pct: Intl.NumberFormat };

/**
 * Intl formatters per shop locale and currency. Building one costs more than
 * the rest of an answer, and a deployment sees few distinct pairs.
 */
const FORMATS = new Map<string, Formats>();
function formatsFor(locale: string, currency: string): Formats {
  const key = `${locale}|${currency}`;
  let f = FORMATS.get(key);
  if (f) return f;
  let money: Intl.NumberFormat;
  try {
    money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  } catch {
    money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  f = {
    money,
    count: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
    pct: new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  };
  if (FORMATS.size >= 256) FORMATS.clear();
  FORMATS.set(key, f);
  return f;
}

/** Formats numbers the way the shop reads them: its currency, its locale. */
export function numberFormatter(
  q: StructuredQuery,
  fmt: FormatOptions,
): (v: number | null) => string {
  const unit = METRICS[q.metric].unit;
  const { money, count, pct } = formatsFor(fmt.locale ?? 'en-US', fmt.currency);
  return (v) => {
    if (v === null) return 'n/a';
    if (unit === 'money') return money.format(v);
    if (unit === 'percent') return `${pct.format(v)}%`;
    return count.format(v);
  };
}

/** "in April 1998", "on 1998-05-05", "from 1998-04-29 to 1998-05-05", "over all time". */
export function periodPhrase(range: ResolvedRange | null): string {
  if (!range) return 'over all time';
  const l = range.label;
  if (/^(this|since)/.test(l)) return l;
  if (l.includes('..')) {
    const [a, b] = l.split('..');
    return a === b ? `on ${a}` : `from ${a} to ${b}`;
  }
  if (range.unit === 'day' && range.count === 1) return `on ${l}`;
  return `in ${l}`;
}

/** Bucket start "YYYY-MM-DD" → the label shown for that bucket. */
export function bucketLabel(start: string, unit: TimeDimension): string {
  const [y, m] = start.split('-');
  switch (unit) {
    case 'month':
      return `${y}-${m}`;
    case 'quarter':
      return `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
    case 'year':
      return String(y);
    default:
      return start;
  }
}

const FILTER_WORDS: Record<string, [string, string]> = {
  country: ['from', 'not from'],
  channel: ['via', 'not via'],
  status: ['with status', 'without status'],
  payment_method: ['paid by', 'not paid by'],
  customer: ['for customer', 'excluding customer'],
  product: ['for', 'excluding'],
  category: ['in', 'not in'],
  product_status: ['with status', 'without status'],
};

export function filterPhrase(q: StructuredQuery, moneyFmt: (v: number) => string): string {
  const ops = { gt: 'over', gte: 'of at least', lt: 'under', lte: 'of at most' };
  const parts = q.filters.map((f) => {
    if (f.kind === 'amount') {
      if (f.field === 'stock_quantity')
        return f.op === 'lte' && f.value === 0
          ? 'out of stock'
          : `with stock ${ops[f.op].replace('of ', '')} ${f.value}`;
      return `with order total ${ops[f.op].replace('of ', '')} ${moneyFmt(f.value)}`;
    }
    const [yes, no] = FILTER_WORDS[f.dimension] ?? ['where', 'not'];
    return `${f.negate ? no : yes} ${f.labels.join(' or ')}`;
  });
  return parts.length ? ` ${parts.join(', ')}` : '';
}

const VERBS: Record<string, string> = {
  order_count: 'Counted orders',
  revenue: 'Summed grand_total of orders not cancelled or refunded',
  average_order_value:
    'Divided revenue (grand_total, orders not cancelled or refunded) by their number',
  units_sold: 'Summed item quantities of orders not cancelled or refunded',
  new_customers: 'Counted customers whose first order (any status) falls',
  ordering_customers: 'Counted distinct customers with an order',
  customer_count: 'Counted customer records',
  product_count: 'Counted catalogue products',
  largest_order: 'Took the highest grand_total of orders not cancelled or refunded',
  revenue_share: 'Divided revenue per group by total revenue (orders not cancelled or refunded)',
  order_share: 'Divided orders (any status) per group by all orders',
  refund_count: 'Counted refunded orders',
  refund_rate: 'Divided refunded orders by all orders',
  cancellation_count: 'Counted cancelled orders',
  cancellation_rate: 'Divided cancelled orders by all orders',
  stock_on_hand: 'Summed stock_quantity of catalogue products',
};

/** What was counted over which dates, in the shop's zone. */
export function explain(q: StructuredQuery, filters: string): string {
  const def = METRICS[q.metric];
  const line =
    (q.groupBy === 'product' ||
      q.groupBy === 'category' ||
      q.filters.some(
        (f) => f.kind === 'dimension' && (f.dimension === 'product' || f.dimension === 'category'),
      )) &&
    (q.metric === 'revenue' || q.metric === 'revenue_share');
  let verb = VERBS[q.metric] ?? `Computed ${def.label}`;
  if (line) verb = 'Summed quantity × unit_price of order lines (orders not cancelled or refunded)';
  const dateWord =
    def.collection === 'order' ? (q.metric === 'new_customers' ? 'in' : 'created') : 'created';
  const when = q.range
    ? ` ${dateWord} ${describeSpan(q.range, q.timezone)} (${q.timezone})`
    : def.collection === 'order'
      ? ', all time'
      : '';
  const by = q.groupBy ? `, by ${DIMENSIONS[q.groupBy].label}` : '';
  const top = q.limit !== null ? `, ${q.sort.order === 'asc' ? 'bottom' : 'top'} ${q.limit}` : '';
  const cmp = q.compare ? ` Compared with ${describeSpan(q.compare.range, q.timezone)}.` : '';
  return `${verb}${when}${filters}${by}${top}.${cmp}`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
