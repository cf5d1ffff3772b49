import { pctChange } from './statistics.js';

export const DRIVER_DIMENSIONS = [
  'category',
  'product',
  'country',
  'channel',
  'customer_type',
] as const;
export type DriverDimension = (typeof DRIVER_DIMENSIONS)[number];

/** One segment's additive totals in both periods. */
export interface SegmentTotals {
  key: string;
  label: string;
  previous: number;
  current: number;
}

/** One segment's ratio parts (numerator/denominator) in both periods, for AOV. */
export interface SegmentRatioParts {
  key: string;
  label: string;
  prevNum: number;
  prevDen: number;
  curNum: number;
  curDen: number;
}

export interface Driver {
  dimension: DriverDimension;
  key: string;
  label: string;
  previous: number;
  current: number;
  /** This segment's part of the total change, in metric units. */
  contribution: number;
  /** Segment's own change in percent (null from 0). */
  change_pct: number | null;
  /** contribution / total change × 100; null when the total did not move. */
  share_of_change_pct: number | null;
}

/**
 * Additive metrics (revenue, orders, units): a segment's contribution is just
 * its own change, and the contributions sum to the total change.
 * Sorted so the segments that moved the total most in its direction come first,
 * then the ones that pushed against it.
 */
export function decomposeAdditive(
  dimension: DriverDimension,
  segments: readonly SegmentTotals[],
  totalChange: number,
): Driver[] {
  return sortDrivers(
    segments.map((s) => {
      const contribution = s.current - s.previous;
      return {
        dimension,
        key: s.key,
        label: s.label,
        previous: s.previous,
        current: s.current,
        contribution,
        change_pct: pctChange(s.previous, s.current),
        share_of_change_pct: totalChange !== 0 ? (contribution / totalChange) * 100 : null,
      };
    }),
    totalChange,
  );
}

/**
 * Ratio metrics (AOV = revenue / orders): segment i contributes
 *   (R1ᵢ − r₀·N1ᵢ)/N1 − (R0ᵢ − r₀·N0ᵢ)/N0
 * where r₀ is the previous overall ratio. These sum exactly to r₁ − r₀ and mix
 * the segment's own ratio moving with its weight shifting, which is what
 * "which part explains the change" asks. Segments of order attributes only
 * (every order lies in exactly one segment).
 */
export function decomposeRatio(
  dimension: DriverDimension,
  segments: readonly SegmentRatioParts[],
): Driver[] {
  let N0 = 0;
  let N1 = 0;
  let R0 = 0;
  let R1 = 0;
  for (const s of segments) {
    N0 += s.prevDen;
    N1 += s.curDen;
    R0 += s.prevNum;
    R1 += s.curNum;
  }
  const r0 = N0 > 0 ? R0 / N0 : 0;
  const r1 = N1 > 0 ? R1 / N1 : 0;
  const total = r1 - r0;
  const drivers = segments.map((s) => {
    const part1 = N1 > 0 ? (s.curNum - r0 * s.curDen) / N1 : 0;
    const part0 = N0 > 0 ? (s.prevNum - r0 * s.prevDen) / N0 : 0;
    const contribution = part1 - part0;
    const previous = s.prevDen > 0 ? s.prevNum / s.prevDen : 0;
    const current = s.curDen > 0 ? s.curNum / s.curDen : 0;
    return {
      dimension,
      key: s.key,
      label: s.label,
      previous,
      current,
      contribution,
      change_pct: pctChange(previous, current),
      share_of_change_pct: total !== 0 ? (contribution / total) * 100 : null,
    };
  });
  return sortDrivers(drivers, total);
}

function sortDrivers(drivers: Driver[], totalChange: number): Driver[] {
  const dir = totalChange < 0 ? -1 : 1;
  return drivers.sort(
    (a, b) => dir * b.contribution - dir * a.contribution || a.label.localeCompare(b.label),
  );
}

/**
 * The drivers worth naming: across dimensions, the segments whose contribution
 * in the direction of the change is largest. A category and a product inside it
 * tell the same story twice, so each dimension keeps only its best few.
 */
export function topDrivers(
  all: readonly Driver[],
  totalChange: number,
  perDimension = 3,
  limit = 8,
): Driver[] {
  const dir = totalChange < 0 ? -1 : 1;
  const byDim = new Map<DriverDimension, Driver[]>();
  for (const d of all) {
    if (dir * d.contribution <= 0) continue;
    const list = byDim.get(d.dimension) ?? [];
    if (list.length < perDimension) list.push(d);
    byDim.set(d.dimension, list);
  }
  return [...byDim.values()]
    .flat()
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, limit);
}
