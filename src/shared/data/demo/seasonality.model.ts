/**
 * Demand shape shared by all demo shops. Values are multipliers around 1 so the
 * long-run average stays at the shop's `ordersPerDay`.
 */

/** Monday … Sunday: Saturday dips, Sunday evening is the online-shopping peak. */
const WEEKDAY_FACTOR = [1.02, 0.98, 0.97, 0.98, 0.95, 0.86, 1.24];

/**
 * Mid-month anchors, January … December: summer dip, November/December peak.
 * Kept moderate on purpose: the planted category collapse must outweigh any
 * month-to-month swing (worst: February → March, ~+15% with the extra days).
 */
const MONTH_FACTOR = [0.9, 0.91, 0.95, 1.0, 1.0, 0.93, 0.86, 0.86, 0.97, 1.03, 1.2, 1.28];

/** Local hour of day, 0 … 23: quiet nights, lunch bump, evening peak. */
export const HOUR_WEIGHTS = [
  0.5, 0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 0.8, 1.2, 1.5, 1.7, 1.8, 2.0, 1.9, 1.8, 1.8, 1.9, 2.0, 2.2,
  2.6, 2.9, 2.7, 2.0, 1.1,
];

export function weekdayFactor(isoWeekday: number): number {
  return WEEKDAY_FACTOR[isoWeekday - 1] ?? 1;
}

/** Linear interpolation between mid-month anchors, so there is no step at month ends. */
export function yearlyFactor(monthPosition: number): number {
  const x = monthPosition - 0.5;
  const i = Math.floor(x);
  const t = x - i;
  const a = MONTH_FACTOR[(i + 12) % 12] as number;
  const b = MONTH_FACTOR[(i + 13) % 12] as number;
  return a + (b - a) * t;
}

/** Exponential growth centred on the middle of the window, so the mean stays ~1. */
export function growthFactor(dayIndex: number, totalDays: number, yearlyGrowth: number): number {
  const rate = Math.log(1 + yearlyGrowth) / 365;
  return Math.exp(rate * (dayIndex - totalDays / 2));
}
