import { z } from 'zod';

/**
 * The parsed form of a Tier 1 question. Plain JSON on purpose: it is stored in
 * the job record (Redis) and read back for follow-ups, so every date is an ISO
 * string and ranges are already resolved against the request's as_of.
 */
export const METRIC_IDS = [
  'order_count',
  'revenue',
  'average_order_value',
  'units_sold',
  'new_customers',
  'ordering_customers',
  'customer_count',
  'product_count',
  'largest_order',
  'revenue_share',
  'order_share',
  'refund_count',
  'refund_rate',
  'cancellation_count',
  'cancellation_rate',
  'stock_on_hand',
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

export const TIME_DIMENSIONS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];

export const ATTRIBUTE_DIMENSIONS = [
  'country',
  'channel',
  'status',
  'payment_method',
  'customer',
  'product',
  'category',
] as const;
export type AttributeDimension = (typeof ATTRIBUTE_DIMENSIONS)[number];
export type DimensionId = TimeDimension | AttributeDimension;

/** Filterable attributes: the dimensions plus the catalogue status of a product. */
export type FilterDimension = AttributeDimension | 'product_status';

export const resolvedRangeSchema = z.object({
  /** Inclusive start, ISO 8601 UTC. */
  start: z.string(),
  /** Exclusive end, ISO 8601 UTC; never after as_of. */
  end: z.string(),
  /** Human label, e.g. "April 1998" or "1998-04-27..1998-05-03". */
  label: z.string(),
  /** Calendar unit the range is one of, so a follow-up can step it ("the month before"). */
  unit: z.enum(['day', 'week', 'month', 'quarter', 'year']).nullable(),
  /** How many units it spans (last 3 months: 3). */
  count: z.number().int().positive().default(1),
  /** Runs from the period start up to as_of ("this month", "year to date"). */
  toDate: z.boolean().default(false),
});
export type ResolvedRange = z.infer<typeof resolvedRangeSchema>;

const filterValue = z.union([z.string(), z.number()]);

export const filterSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('dimension'),
    dimension: z.enum([...ATTRIBUTE_DIMENSIONS, 'product_status']),
    /** Values as stored (customer: ids); matched with $in. */
    values: z.array(filterValue).min(1),
    /** What to call them in sentences (customer: its label). */
    labels: z.array(z.string()),
    negate: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal('amount'),
    field: z.enum(['grand_total', 'stock_quantity']),
    op: z.enum(['gt', 'gte', 'lt', 'lte']),
    value: z.number(),
  }),
]);
export type QueryFilter = z.infer<typeof filterSchema>;
export type DimensionFilter = Extract<QueryFilter, { kind: 'dimension' }>;
export type AmountFilter = Extract<QueryFilter, { kind: 'amount' }>;

export const structuredQuerySchema = z.object({
  version: z.literal(1),
  metric: z.enum(METRIC_IDS),
  groupBy: z
    .enum([...(['day', 'week', 'month', 'quarter', 'year'] as const), ...ATTRIBUTE_DIMENSIONS])
    .nullable(),
  /** Null: all time. */
  range: resolvedRangeSchema.nullable(),
  filters: z.array(filterSchema),
  /** Rows kept after sorting (top/bottom N); null keeps all. */
  limit: z.number().int().positive().nullable(),
  sort: z.object({ by: z.enum(['value', 'label']), order: z.enum(['asc', 'desc']) }),
  compare: z
    .object({
      range: resolvedRangeSchema,
      kind: z.enum(['previous_period', 'previous_year', 'explicit']),
    })
    .nullable(),
  timezone: z.string(),
  asOf: z.string(),
});
export type StructuredQuery = z.infer<typeof structuredQuerySchema>;

export function isTimeDimension(d: DimensionId | null): d is TimeDimension {
  return d !== null && (TIME_DIMENSIONS as readonly string[]).includes(d);
}
