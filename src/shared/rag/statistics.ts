/**
 * Small, dependency-free statistics for the insight analysis. Kept pure so the
 * unit tests check them on handmade numbers.
 */

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation (unscaled). */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/** Makes MAD a consistent estimator of the standard deviation for normal data. */
const MAD_TO_SIGMA = 1.4826;

/**
 * Robust z-scores: (x − median) / (1.4826·MAD). Unlike mean/sd, one huge spike
 * does not inflate the yardstick it is measured with. When more than half the
 * values are equal MAD is 0; the mean absolute deviation stands in then, and
 * with no spread at all every score is 0.
 */
export function robustZScores(xs: readonly number[]): number[] {
  const m = median(xs);
  let scale = MAD_TO_SIGMA * mad(xs);
  if (!(scale > 0)) scale = 1.2533 * mean(xs.map((x) => Math.abs(x - m)));
  if (!(scale > 0)) return xs.map(() => 0);
  return xs.map((x) => (x - m) / scale);
}

export interface OlsFit {
  n: number;
  slope: number;
  intercept: number;
  /** Standard error of the slope. */
  slopeSe: number;
  tStat: number;
  /** Two-sided p-value of slope ≠ 0 (Student t, n − 2 degrees of freedom). */
  pValue: number;
  r2: number;
}

/** Ordinary least squares y = a + b·x. Needs at least 3 points for a p-value. */
export function ols(xs: readonly number[], ys: readonly number[]): OlsFit {
  const n = Math.min(xs.length, ys.length);
  const mx = mean(xs.slice(0, n));
  const my = mean(ys.slice(0, n));
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const sse = Math.max(0, syy - slope * sxy);
  const df = n - 2;
  const slopeSe = df > 0 && sxx > 0 ? Math.sqrt(sse / df / sxx) : Number.NaN;
  let tStat: number;
  if (slopeSe > 0) tStat = slope / slopeSe;
  else tStat = slope === 0 || Number.isNaN(slopeSe) ? 0 : Math.sign(slope) * Infinity;
  const pValue = df > 0 ? twoSidedTPValue(tStat, df) : 1;
  const r2 = syy > 0 ? (slope * sxy) / syy : 0;
  return { n, slope, intercept, slopeSe, tStat, pValue, r2 };
}

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom. */
export function twoSidedTPValue(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? 1 : 0;
  const x = df / (df + t * t);
  return regularizedIncompleteBeta(x, df / 2, 0.5);
}

/** I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  // The fraction converges fast only on this side; use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-12) break;
  }
  return h;
}

/** Lanczos approximation (g = 7, n = 9), accurate to ~15 digits. */
export function logGamma(z: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const zz = z - 1;
  let x = c[0]!;
  for (let i = 1; i < g + 2; i++) x += c[i]! / (zz + i);
  const t = zz + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(x);
}

/** Percent change, null when the base is 0. One decimal is enough for prose. */
export function pctChange(previous: number, current: number): number | null {
  if (previous === 0) return null;
  return ((current - previous) / Math.abs(previous)) * 100;
}
