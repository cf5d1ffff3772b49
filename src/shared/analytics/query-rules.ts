import { isShareMetric, METRICS } from './catalogue.js';
import {
  ATTRIBUTE_DIMENSIONS,
  isTimeDimension,
  type FilterDimension,
  type StructuredQuery,
} from './structured-query.js';

/** Filters each source collection can apply. */
const FILTERS_BY_COLLECTION: Record<
  'order' | 'product' | 'customer',
  (FilterDimension | 'grand_total' | 'stock_quantity')[]
> = {
  order: [...ATTRIBUTE_DIMENSIONS, 'grand_total'],
  product: ['category', 'product', 'product_status', 'stock_quantity'],
  customer: ['country'],
};

const LABELS: Record<string, string> = {
  product_status: 'product status',
  stock_quantity: 'stock level',
  grand_total: 'order amount',
  payment_method: 'payment method',
};

/**
 * Whether Tier 1 can answer the query exactly; a message when not. Checked for
 * parsed questions and for structured queries that arrive from elsewhere
 * (follow-ups read back from Redis).
 */
export function checkQuery(q: StructuredQuery): string | null {
  const def = METRICS[q.metric];
  if (q.groupBy && !def.dimensions.includes(q.groupBy)) {
    return `${def.label} cannot be broken down by ${q.groupBy.replace('_', ' ')}`;
  }
  const allowed = FILTERS_BY_COLLECTION[def.collection];
  for (const f of q.filters) {
    const key = f.kind === 'dimension' ? f.dimension : f.field;
    if (!allowed.includes(key)) return `${def.label} cannot be filtered by ${LABELS[key] ?? key}`;
  }
  if (
    q.metric === 'new_customers' &&
    q.filters.some(
      (f) => f.kind === 'dimension' && (f.dimension === 'product' || f.dimension === 'category'),
    )
  ) {
    return 'new customers cannot be filtered by product or category';
  }
  if (isShareMetric(q.metric)) {
    // "share of orders from outside the UK": a negated value is a share too.
    const shareDims = q.filters.filter((f) => f.kind === 'dimension');
    if (!q.groupBy && shareDims.length === 0)
      return `a ${METRICS[q.metric].label} needs something to take the share of (a country, channel...)`;
  }
  if (q.limit !== null && !q.groupBy)
    return 'top/bottom N needs something to rank (products, countries...)';
  if (q.compare && isTimeDimension(q.groupBy) && q.limit === null)
    return 'comparisons are answered for single numbers and tables, not series';
  if (
    q.range &&
    Date.parse(q.range.end) <= Date.parse(q.range.start) &&
    Date.parse(q.range.start) > Date.parse(q.asOf)
  ) {
    return 'that period has not started yet';
  }
  return null;
}
