import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { ResolvedRange, StructuredQuery } from '../analytics/index.js';
import type { Tier } from '../queues/question-job.js';

/**
 * How long an answer may be reused, by what the question reads:
 * - realtime (5 min): order figures over a period still running ("today",
 *   "this month", "year to date", all time): new orders change them;
 * - hourly (1 h): catalogue and customer state, and model-written (Tier 2)
 *   queries whose reads we cannot classify;
 * - daily (1 day): closed periods that ended in the last week (late orders,
 *   refunds) and insight (Tier 3) questions;
 * - static (1 week): closed periods older than that.
 * Every key also holds the shop's data version, so an import retires all of a
 * shop's answers at once whatever their class.
 */
export type TtlClass = 'realtime' | 'hourly' | 'daily' | 'static';

export const TTL_SECONDS: Record<TtlClass, number> = {
  realtime: 5 * 60,
  hourly: 3600,
  daily: 24 * 3600,
  static: 7 * 24 * 3600,
};

export interface CachePlan {
  ttl_class: TtlClass;
  ttl_seconds: number;
  /**
   * The part of as_of the answer depends on: a 5-minute, hour or day bucket,
   * or, for Tier 1 questions over closed periods, the resolved ranges
   * themselves ("March 1998" is the same answer whatever day it is asked).
   */
  bucket: string;
}

/** How long an in-flight claim may outlive a job that never reports back. */
export const IN_FLIGHT_TTL_SECONDS = 15 * 60;

const STATE_METRICS = new Set(['product_count', 'customer_count', 'stock_on_hand']);
const CLOSED_RECENT_MS = 7 * 24 * 3600 * 1000;

/** Lower case, one space, no trailing punctuation: "How many orders?" = "how many  orders". */
export function normaliseQuestion(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s?.!]+$/, '');
}

function floorTo(asOf: Date, ms: number): string {
  return new Date(Math.floor(asOf.getTime() / ms) * ms).toISOString();
}

export function cachePlan(
  tier: Tier,
  query: StructuredQuery | undefined,
  asOf: Date,
  timezone: string,
): CachePlan {
  const plan = (ttl_class: TtlClass, bucket: string): CachePlan => ({
    ttl_class,
    ttl_seconds: TTL_SECONDS[ttl_class],
    bucket,
  });
  const hour = () => `h:${floorTo(asOf, 3600_000)}`;
  if (tier === 'rag') {
    return plan(
      'daily',
      `d:${DateTime.fromJSDate(asOf, { zone: timezone }).toISODate() ?? floorTo(asOf, 86_400_000)}`,
    );
  }
  if (tier === 'llm' || !query) return plan('hourly', hour());
  if (!query.range && STATE_METRICS.has(query.metric)) return plan('hourly', hour());
  const ranges = query.compare ? [query.range, query.compare.range] : [query.range];
  const running = (r: ResolvedRange | null) =>
    r === null || r.toDate || Date.parse(r.end) >= asOf.getTime();
  if (!query.range || ranges.some(running)) return plan('realtime', `m5:${floorTo(asOf, 300_000)}`);
  const resolved = ranges.map((r) => `${r!.start}..${r!.end}`).join('|');
  const recent = asOf.getTime() - Date.parse(query.range.end) < CLOSED_RECENT_MS;
  return plan(recent ? 'daily' : 'static', `r:${resolved}`);
}

/** The identity of a question for the cache and for in-flight sharing. */
export function questionFingerprint(parts: {
  shopId: number;
  question: string;
  bucket: string;
  timezone: string;
  dataVersion: number;
  followUpOf?: string;
}): string {
  const text = JSON.stringify([
    parts.shopId,
    normaliseQuestion(parts.question),
    parts.bucket,
    parts.timezone,
    parts.dataVersion,
    parts.followUpOf ?? null,
  ]);
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}
