import type { PipelineStage } from '../data-store.js';

export interface TimeBounds {
  /** Inclusive lower bound in epoch ms, or -Infinity. */
  from: number;
  /** Exclusive upper bound in epoch ms, or +Infinity. */
  to: number;
}

/**
 * Read the `created_at` bounds of a pipeline's first `$match` so the embedded
 * store can binary-search its time-ordered orders instead of scanning them all.
 *
 * Only bounds that are certain are taken: top-level `created_at` range
 * operators (or ones inside a top-level `$and`) with Date values. Anything else
 * (an `$or`, a string date) yields no narrowing, which is always correct because
 * the full `$match` still runs on the narrowed documents.
 */
export function timeBoundsOf(stage: PipelineStage | undefined): TimeBounds {
  const bounds: TimeBounds = { from: -Infinity, to: Infinity };
  const match = stage?.$match;
  if (!isObject(match)) return bounds;
  applyCondition(bounds, match.created_at);
  if (Array.isArray(match.$and)) {
    for (const part of match.$and) {
      if (isObject(part)) applyCondition(bounds, part.created_at);
    }
  }
  return bounds;
}

function applyCondition(bounds: TimeBounds, cond: unknown): void {
  if (cond instanceof Date) {
    const t = cond.getTime();
    bounds.from = Math.max(bounds.from, t);
    bounds.to = Math.min(bounds.to, t + 1);
    return;
  }
  if (!isObject(cond)) return;
  const ms = (v: unknown): number | null => (v instanceof Date ? v.getTime() : null);
  const gte = ms(cond.$gte);
  const gt = ms(cond.$gt);
  const lt = ms(cond.$lt);
  const lte = ms(cond.$lte);
  if (gte !== null) bounds.from = Math.max(bounds.from, gte);
  if (gt !== null) bounds.from = Math.max(bounds.from, gt + 1);
  if (lt !== null) bounds.to = Math.min(bounds.to, lt);
  if (lte !== null) bounds.to = Math.min(bounds.to, lte + 1);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** First index whose time is >= t in an ascending array. */
export function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
