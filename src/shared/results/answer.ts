import { z } from 'zod';

/**
 * The `data` of a succeeded job (DESIGN.md "Answer shape"). One of three kinds:
 * a single number (optionally with a comparison), a table with named columns, or
 * a time series with every bucket present (empty buckets are 0).
 */
export const comparisonSchema = z.object({
  previous: z.number(),
  /** Percent: 8.0 means +8%. Null when the previous value is 0. */
  change_pct: z.number().nullable(),
  /** Human label of the period compared against, e.g. "2026-10-01..2026-10-31". */
  previous_label: z.string().optional(),
});

export const scalarDataSchema = z.object({
  kind: z.literal('scalar'),
  value: z.number().nullable(),
  unit: z.string(),
  label: z.string().optional(),
  comparison: comparisonSchema.optional(),
});

export const tableDataSchema = z.object({
  kind: z.literal('table'),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  unit: z.string().optional(),
});

export const seriesDataSchema = z.object({
  kind: z.literal('series'),
  interval: z.enum(['day', 'week', 'month', 'quarter', 'year']),
  unit: z.string().optional(),
  points: z.array(z.object({ t: z.string(), value: z.number() })),
});

export const answerDataSchema = z.discriminatedUnion('kind', [
  scalarDataSchema,
  tableDataSchema,
  seriesDataSchema,
]);

export type Comparison = z.infer<typeof comparisonSchema>;
export type ScalarData = z.infer<typeof scalarDataSchema>;
export type TableData = z.infer<typeof tableDataSchema>;
export type SeriesData = z.infer<typeof seriesDataSchema>;
export type AnswerData = z.infer<typeof answerDataSchema>;

export const executedQuerySchema = z.object({
  collection: z.enum(['order', 'product', 'customer']),
  pipeline: z.array(z.record(z.string(), z.unknown())),
});
export type ExecutedQuery = z.infer<typeof executedQuerySchema>;

/** What any tier produces for a question it answered. */
export interface TierAnswer {
  answer: string;
  data: AnswerData;
  query: ExecutedQuery | null;
  explanation: string;
  /** Tier-specific extras kept in the job record (structured query, context used...). */
  meta?: Record<string, unknown>;
}
