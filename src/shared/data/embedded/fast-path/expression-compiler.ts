import { formatDate, localParts, SUPPORTED_SPECIFIERS, type LocalParts } from './date-parts.js';
import { compareValues, fieldValue, isPlainObject, sameValue, type Doc } from './values.js';

export type Expr = (doc: Doc) => unknown;

/**
 * Thrown while running when a value falls outside what the fast path handles
 * (a Date in arithmetic, say): the whole pipeline then reruns in mingo, so the
 * answer is always mingo's where the two could differ.
 */
export class FastPathUnsupported extends Error {}

const num = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  throw new FastPathUnsupported('non-numeric arithmetic');
};

type Compiled = Expr | null;

/**
 * Compile an aggregation expression from the common subset: literals, field
 * paths, arithmetic, comparisons, $cond, $ifNull, $and/$or/$not, $in, date
 * parts and $dateToString, $concat, $arrayElemAt and objects of those.
 * Anything else returns null (mingo runs the stage).
 */
export function compileExpr(expr: unknown): Compiled {
  if (typeof expr === 'string') {
    if (expr.startsWith('$$')) return null;
    if (expr.startsWith('$')) {
      const path = expr.slice(1).split('.');
      return (d) => fieldValue(d, path);
    }
    return () => expr;
  }
  if (expr === null || typeof expr === 'number' || typeof expr === 'boolean' || expr instanceof Date) {
    return () => expr;
  }
  if (Array.isArray(expr)) {
    const items = expr.map(compileExpr);
    if (items.some((i) => i === null)) return null;
    return (d) => (items as Expr[]).map((i) => i(d));
  }
  if (!isPlainObject(expr)) return null;
  const keys = Object.keys(expr);
  if (keys.length === 1 && keys[0]!.startsWith('$')) return compileOperator(keys[0]!, expr[keys[0]!]);
  if (keys.some((k) => k.startsWith('$'))) return null;
  const fields = keys.map((k) => [k, compileExpr(expr[k])] as const);
  if (fields.some(([, e]) => e === null)) return null;
  return (d) => {
    const out: Doc = {};
    for (const [k, e] of fields) {
      const v = (e as Expr)(d);
      if (v !== undefined) out[k] = v;
    }
    return out;
  };
}

function args(arg: unknown, min: number, max: number): Expr[] | null {
  const list = Array.isArray(arg) ? arg : [arg];
  if (list.length < min || list.length > max) return null;
  const compiled = list.map(compileExpr);
  return compiled.some((c) => c === null) ? null : (compiled as Expr[]);
}

function compileOperator(op: string, arg: unknown): Compiled {
  switch (op) {
    case '$literal':
      return isPlainObject(arg) || Array.isArray(arg) ? null : () => arg;
    case '$add':
    case '$multiply': {
      const a = args(arg, 1, 64);
      if (!a) return null;
      return (d) => {
        let acc = op === '$add' ? 0 : 1;
        let dates = 0;
        for (const e of a) {
          let raw = e(d);
          // $add of one date and numbers is a date, as in MongoDB.
          if (op === '$add' && raw instanceof Date) {
            dates += 1;
            raw = raw.getTime();
          }
          const v = num(raw);
          if (v === null) return null;
          acc = op === '$add' ? acc + v : acc * v;
        }
        if (dates > 1) throw new FastPathUnsupported('$add of two dates');
        return dates === 1 ? new Date(acc) : acc;
      };
    }
    case '$subtract': {
      const a = args(arg, 2, 2);
      if (!a) return null;
      return (d) => {
        const x = a[0]!(d);
        const y = a[1]!(d);
        if (x === null || x === undefined || y === null || y === undefined) return null;
        // date − date is milliseconds; date − number is a date.
        if (x instanceof Date && y instanceof Date) return x.getTime() - y.getTime();
        if (x instanceof Date) return new Date(x.getTime() - (num(y) ?? 0));
        return (num(x) ?? 0) - (num(y) ?? 0);
      };
    }
    case '$dateFromString':
      return compileDateFromString(arg);
    case '$divide': {
      const a = args(arg, 2, 2);
      if (!a) return null;
      return (d) => {
        const x = num(a[0]!(d));
        const y = num(a[1]!(d));
        if (x === null || y === null) return null;
        if (y === 0) throw new FastPathUnsupported('division by zero');
        return x / y;
      };
    }
    case '$eq':
    case '$ne':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const a = args(arg, 2, 2);
      if (!a) return null;
      return (d) => {
        const x = a[0]!(d);
        const y = a[1]!(d);
        if (op === '$eq') return sameValue(x, y);
        if (op === '$ne') return !sameValue(x, y);
        const c = compareValues(x, y);
        return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
      };
    }
    case '$and':
    case '$or': {
      const a = args(arg, 1, 64);
      if (!a) return null;
      return op === '$and' ? (d) => a.every((e) => truthy(e(d))) : (d) => a.some((e) => truthy(e(d)));
    }
    case '$not': {
      const a = args(arg, 1, 1);
      return a ? (d) => !truthy(a[0]!(d)) : null;
    }
    case '$in': {
      const a = args(arg, 2, 2);
      if (!a) return null;
      return (d) => {
        const list = a[1]!(d);
        if (!Array.isArray(list)) throw new FastPathUnsupported('$in needs an array');
        const x = a[0]!(d);
        return list.some((v) => sameValue(v, x));
      };
    }
    case '$ifNull': {
      const a = args(arg, 2, 16);
      if (!a) return null;
      return (d) => {
        for (const e of a.slice(0, -1)) {
          const v = e(d);
          if (v !== null && v !== undefined) return v;
        }
        return a[a.length - 1]!(d);
      };
    }
    case '$cond': {
      const parts = isPlainObject(arg) ? [arg.if, arg.then, arg.else] : arg;
      const a = Array.isArray(parts) && parts.length === 3 ? args(parts, 3, 3) : null;
      if (!a) return null;
      return (d) => (truthy(a[0]!(d)) ? a[1]!(d) : a[2]!(d));
    }
    case '$dateToString':
      return compileDateToString(arg);
    case '$concat': {
      const a = args(arg, 1, 64);
      if (!a) return null;
      return (d) => {
        let out = '';
        for (const e of a) {
          const v = e(d);
          if (v === null || v === undefined) return null;
          if (typeof v !== 'string') throw new FastPathUnsupported('$concat of a non-string');
          out += v;
        }
        return out;
      };
    }
    case '$arrayElemAt': {
      const a = args(arg, 2, 2);
      if (!a) return null;
      return (d) => {
        const list = a[0]!(d);
        const at = a[1]!(d);
        if (list === null || list === undefined || at === null || at === undefined) return null;
        if (!Array.isArray(list) || typeof at !== 'number' || !Number.isInteger(at))
          throw new FastPathUnsupported('$arrayElemAt needs an array and an integer');
        // Out of range is "missing", as in MongoDB.
        return at < 0 ? list[list.length + at] : list[at];
      };
    }
    default:
      return op in DATE_PARTS ? compileDatePart(DATE_PARTS[op]!, arg) : null;
  }
}

const DATE_PARTS: Record<string, keyof LocalParts> = {
  $year: 'year',
  $month: 'month',
  $dayOfMonth: 'day',
  $hour: 'hour',
  $minute: 'minute',
  $second: 'second',
  $millisecond: 'millisecond',
  $isoDayOfWeek: 'isoDayOfWeek',
};

/** A constant time zone (an expression for the zone leaves the stage to mingo). */
function constantZone(tz: unknown): string | null {
  if (tz === undefined) return 'UTC';
  if (typeof tz !== 'string' || tz.startsWith('$')) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    return null;
  }
}

function dateArg(d: Doc, e: Expr): Date | null {
  const v = e(d);
  if (v === null || v === undefined) return null;
  if (!(v instanceof Date)) throw new FastPathUnsupported('date operator on a non-date');
  return v;
}

function compileDatePart(part: keyof LocalParts, arg: unknown): Compiled {
  const spec = isPlainObject(arg) && 'date' in arg ? arg : { date: arg };
  if (Object.keys(spec).some((k) => k !== 'date' && k !== 'timezone')) return null;
  const zone = constantZone(spec.timezone);
  const date = compileExpr(spec.date);
  if (!zone || !date) return null;
  return (d) => {
    const v = dateArg(d, date);
    return v === null ? null : localParts(v, zone)[part];
  };
}

/** Only the calendar-date form the compiler emits: "YYYY-MM-DD" at UTC midnight. */
function compileDateFromString(arg: unknown): Compiled {
  if (!isPlainObject(arg) || Object.keys(arg).some((k) => !['dateString', 'format'].includes(k))) return null;
  if (arg.format !== '%Y-%m-%d') return null;
  const text = compileExpr(arg.dateString);
  if (!text) return null;
  return (d) => {
    const v = text(d);
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new FastPathUnsupported('unparsed date string');
    return new Date(`${v}T00:00:00.000Z`);
  };
}

function compileDateToString(arg: unknown): Compiled {
  if (!isPlainObject(arg) || Object.keys(arg).some((k) => !['date', 'format', 'timezone'].includes(k))) return null;
  const format = arg.format;
  if (typeof format !== 'string' || !SUPPORTED_SPECIFIERS.test(format)) return null;
  const zone = constantZone(arg.timezone);
  const date = compileExpr(arg.date);
  if (!zone || !date) return null;
  return (d) => {
    const v = dateArg(d, date);
    return v === null ? null : formatDate(v, format, zone);
  };
}

/** Aggregation truthiness: false, null, undefined and 0 are false. */
export function truthy(v: unknown): boolean {
  return !(v === false || v === null || v === undefined || v === 0);
}
