import { checkLiteral } from './expression-check.js';
import { at, isPlainObject, reject } from './guard-rejection.js';
import { prototypeSegment } from './prototype-names.js';

/**
 * `$densify` creates documents, and mingo creates them synchronously in the
 * worker where no time limit can interrupt it: one step per millisecond over a
 * year is 3e10 documents. So explicit bounds may span at most
 * MAX_DENSIFY_STEPS steps, and "full"/"partition" bounds, which follow the data
 * (at most years of orders), need a step of an hour or more.
 *
 * `partitionByFields` is refused: every partition is densified on its own, so
 * the documents created are steps × partitions, and the number of partitions
 * (one per customer email, say) comes from the data, which the guard never
 * sees. Counting it against the cap would need a guess at that number; an
 * unpartitioned series is bounded by the cap alone.
 */
const MAX_DENSIFY_STEPS = 10_000;
const HOUR_MS = 3_600_000;
const UNIT_MS: Readonly<Record<string, number>> = {
  second: 1_000,
  minute: 60_000,
  hour: HOUR_MS,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 28 * 86_400_000,
  quarter: 90 * 86_400_000,
  year: 365 * 86_400_000,
};

export function checkDensify(arg: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(arg)) reject(path, '$densify needs { field, range }');
  for (const key of Object.keys(arg)) {
    if (!['field', 'partitionByFields', 'range'].includes(key))
      reject(at(path, key), `unexpected argument '${key}'`);
  }
  if (
    typeof arg.field !== 'string' ||
    arg.field === '' ||
    arg.field.startsWith('$') ||
    prototypeSegment(arg.field) !== undefined
  ) {
    reject(at(path, 'field'), 'expected a field name');
  }
  if (arg.partitionByFields !== undefined) {
    reject(
      at(path, 'partitionByFields'),
      'partitionByFields is not allowed: it multiplies the documents $densify creates by the ' +
        'number of partitions; densify one series',
    );
  }
  return { field: arg.field, range: checkRange(arg.range, at(path, 'range')) };
}

function checkRange(range: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(range)) reject(path, 'range needs { step, bounds, unit? }');
  for (const key of Object.keys(range)) {
    if (!['step', 'bounds', 'unit'].includes(key))
      reject(at(path, key), `unexpected argument '${key}'`);
  }
  const { step, unit } = range;
  if (typeof step !== 'number' || !(step > 0))
    reject(at(path, 'step'), 'step must be a positive number');
  if (unit !== undefined && (typeof unit !== 'string' || !Object.hasOwn(UNIT_MS, unit))) {
    reject(at(path, 'unit'), `unit must be one of ${Object.keys(UNIT_MS).join(', ')}`);
  }
  // MongoDB requires a whole number of date units.
  if (unit !== undefined && !Number.isSafeInteger(step))
    reject(at(path, 'step'), 'step must be a whole number of units');
  const bounds = checkLiteral(range.bounds, at(path, 'bounds'));
  let span: number | null = null;
  if (Array.isArray(bounds) && bounds.length === 2) {
    const [lo, hi] = bounds.map((b) => (b instanceof Date ? b.getTime() : b));
    if (typeof lo !== 'number' || typeof hi !== 'number' || hi < lo)
      reject(at(path, 'bounds'), 'bounds must be [lower, upper]');
    span = hi - lo;
  } else if (bounds !== 'full' && bounds !== 'partition') {
    reject(at(path, 'bounds'), 'bounds must be "full", "partition" or [lower, upper]');
  }
  const stepSize = unit === undefined ? step : step * UNIT_MS[unit]!;
  // Numeric ranges have no natural coarseness, so they need explicit bounds.
  if (span === null && unit === undefined)
    reject(at(path, 'bounds'), 'numeric $densify needs explicit [lower, upper] bounds');
  if (span === null && stepSize < HOUR_MS)
    reject(at(path, 'bounds'), 'steps under an hour need explicit [lower, upper] bounds');
  if (span !== null && span / stepSize > MAX_DENSIFY_STEPS)
    reject(path, `$densify would create more than ${MAX_DENSIFY_STEPS} documents`);
  const out: Record<string, unknown> = { step, bounds };
  if (unit !== undefined) out.unit = unit;
  return out;
}
