import {
  parseQuestion,
  type ParseResult,
  type ShopVocabulary,
  type StructuredQuery,
} from '../../../src/shared/analytics/index.js';
import { describeSpan } from '../../../src/shared/analytics/time-range.resolver.js';

/** A small shop whose names the parser can recognise (Northwind-like). */
export const VOCAB: ShopVocabulary = {
  countries: ['Germany', 'USA', 'France', 'UK', 'Brazil', 'Austria', 'Mexico'],
  channels: ['web', 'phone', 'marketplace'],
  paymentMethods: ['card', 'paypal', 'invoice'],
  categories: ['Beverages', 'Dairy Products', 'Meat/Poultry', 'Condiments', 'Seafood', 'Produce'],
  products: [
    'Chai',
    'Chang',
    'Côte de Blaye',
    'Raclette Courdavault',
    'Gnocchi di nonna Alice',
    'Tofu',
    "Sir Rodney's Scones",
    "Sir Rodney's Marmalade",
  ],
  customers: [
    { id: 'ERNSH', label: 'Ernst Handel' },
    { id: 'ALFKI', label: 'Alfreds Futterkiste' },
    { id: 7, label: 'Jane Doe' },
  ],
};

/** Wednesday 1998-05-06 18:00 UTC, as in the Northwind eval set. */
export const AS_OF = new Date('1998-05-06T18:00:00.000Z');

export interface Shape {
  metric: string;
  groupBy: string | null;
  range: string | null;
  filters: string[];
  limit: number | null;
  sort: string;
  compare: string | null;
}

export function shape(q: StructuredQuery): Shape {
  return {
    metric: q.metric,
    groupBy: q.groupBy,
    range: q.range ? describeSpan(q.range, q.timezone) : null,
    filters: q.filters.map((f) =>
      f.kind === 'dimension'
        ? `${f.dimension}${f.negate ? '!=' : '='}${f.values.join('|')}`
        : `${f.field} ${f.op} ${f.value}`,
    ),
    limit: q.limit,
    sort: `${q.sort.by} ${q.sort.order}`,
    compare: q.compare ? describeSpan(q.compare.range, q.timezone) : null,
  };
}

export function parse(
  question: string,
  opts: {
    asOf?: Date;
    timezone?: string;
    previous?: StructuredQuery;
    vocabulary?: ShopVocabulary | null;
  } = {},
): ParseResult {
  return parseQuestion(
    question,
    {
      asOf: opts.asOf ?? AS_OF,
      timezone: opts.timezone ?? 'UTC',
      vocabulary: opts.vocabulary === null ? undefined : (opts.vocabulary ?? VOCAB),
    },
    opts.previous,
  );
}

/** Parse and reduce to the comparable shape; throws with the reason when not understood. */
export function parsed(question: string, opts: Parameters<typeof parse>[1] = {}): Shape {
  const r = parse(question, opts);
  if (!r.ok) throw new Error(`not understood: ${question} → ${r.reason}`);
  return shape(r.query);
}
