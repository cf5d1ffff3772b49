import type { InsightMetric } from './insight-analysis.js';

export type InsightIntent = 'why' | 'trend' | 'unusual' | 'top_movers';
export type InsightDimension = 'country' | 'channel' | 'category' | 'product' | 'customer_type';

export interface InsightRequestShape {
  intent: InsightIntent;
  metric: InsightMetric;
  /** The dimension the question names ("which country…"), if any. */
  dimension: InsightDimension | null;
  /** For trends: which way the question looks ("growing" vs "declining"). */
  direction: 'up' | 'down' | null;
}

/**
 * Cheap, deterministic reading of an insight question. Order matters: "what
 * stands out among the biggest movers" is about movers, "why did revenue
 * drop" is a why even though "drop" is a direction word.
 */
export function classifyInsight(question: string): InsightRequestShape {
  const q = question.toLowerCase();
  let intent: InsightIntent = 'why';
  if (
    /\b(unusual|anomal\w*|stands? out|outliers?|odd|strange|weird|spikes?|surpris\w*|abnormal)\b/.test(
      q,
    )
  )
    intent = 'unusual';
  else if (
    /\b(movers?|risers?|fallers?|winners?|losers?|biggest (?:gain|gainer|drop|change|swing)s?|changed the most|moved the most)\b/.test(
      q,
    )
  )
    intent = 'top_movers';
  else if (
    !/\bwhy\b/.test(q) &&
    /\b(trend\w*|growing|grows?|grew|growth|declin\w*|shrink\w*|rising|falling|momentum|over time|trajectory|picking up|slowing)\b/.test(
      q,
    )
  )
    intent = 'trend';

  let metric: InsightMetric = 'revenue';
  if (/\b(aov|average order|basket size|order value)\b/.test(q)) metric = 'aov';
  else if (/\b(units?|items sold|quantity|volume)\b/.test(q)) metric = 'units';
  else if (/\b(orders?|purchases)\b/.test(q) && !/\b(revenue|sales|turnover|income)\b/.test(q))
    metric = 'orders';

  let dimension: InsightDimension | null = null;
  if (/\b(countr(y|ies)|markets?|regions?|where)\b/.test(q)) dimension = 'country';
  else if (/\b(channels?)\b/.test(q)) dimension = 'channel';
  else if (/\b(categor(y|ies))\b/.test(q)) dimension = 'category';
  else if (/\b(products?|items?|skus?)\b/.test(q)) dimension = 'product';
  else if (/\b(new|returning|repeat) customers?\b/.test(q)) dimension = 'customer_type';

  let direction: 'up' | 'down' | null = null;
  if (/\b(declin\w*|shrink\w*|falling|fell|drop\w*|slowing|losing|down)\b/.test(q))
    direction = 'down';
  else if (/\b(grow\w*|grew|rising|increas\w*|picking up|gaining|up)\b/.test(q)) direction = 'up';
  return { intent, metric, dimension, direction };
}
