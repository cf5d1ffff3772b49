import { compareValues, isPlainObject, sameValue, valuesAt, type Doc } from './values.js';

export type Predicate = (doc: Doc) => boolean;

const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists']);

/**
 * Compile a `$match` document to a plain predicate, or return null when it uses
 * anything outside the common subset (then mingo runs the stage). The subset is
 * field conditions with $eq/$ne/$gt/$gte/$lt/$lte/$in/$nin/$exists on scalar or
 * Date values, and $and/$or/$nor of those.
 */
export function compileMatch(match: unknown): Predicate | null {
  if (!isPlainObject(match)) return null;
  const parts: Predicate[] = [];
  for (const [key, cond] of Object.entries(match)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(cond) || cond.length === 0) return null;
      const subs = cond.map(compileMatch);
      if (subs.some((p) => p === null)) return null;
      const ps = subs as Predicate[];
      if (key === '$and') parts.push((d) => ps.every((p) => p(d)));
      else if (key === '$or') parts.push((d) => ps.some((p) => p(d)));
      else parts.push((d) => !ps.some((p) => p(d)));
      continue;
    }
    if (key.startsWith('$')) return null;
    const field = compileField(key.split('.'), cond);
    if (!field) return null;
    parts.push(field);
  }
  if (parts.length === 1) return parts[0]!;
  return (d) => parts.every((p) => p(d));
}

function isSimple(v: unknown): boolean {
  return v === null || v instanceof Date || ['string', 'number', 'boolean'].includes(typeof v);
}

function compileField(path: string[], cond: unknown): Predicate | null {
  if (path.length === 1) {
    const special = specialised(path[0]!, cond);
    if (special) return special;
  }
  let tests: ((values: unknown[]) => boolean)[];
  if (isSimple(cond)) {
    tests = [(values) => values.some((v) => sameValue(v, cond) || arrayHas(v, cond))];
  } else {
    if (!isPlainObject(cond)) return null;
    const ops = Object.entries(cond);
    if (ops.length === 0 || ops.some(([op]) => !COMPARISONS.has(op))) return null;
    tests = [];
    for (const [op, arg] of ops) {
      const t = compileOperator(op, arg);
      if (!t) return null;
      tests.push(t);
    }
  }
  // Top-level fields (most conditions) skip the path walk and its allocations.
  if (path.length === 1) {
    const key = path[0]!;
    const one: unknown[] = [undefined];
    return (d) => {
      one[0] = d[key];
      return tests.every((t) => t(one));
    };
  }
  return (d) => {
    const values = valuesAt(d, path);
    return tests.every((t) => t(values));
  };
}

const isPrimitive = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * The shapes nearly every KPI pipeline opens with, on top-level fields, as
 * direct comparisons: equality to a primitive, $in/$nin of primitives, and
 * Date ranges. Array-valued fields take the general path.
 */
function specialised(key: string, cond: unknown): Predicate | null {
  if (isPrimitive(cond)) {
    return (d) => {
      const v = d[key];
      return v === cond || (Array.isArray(v) && v.includes(cond));
    };
  }
  if (!isPlainObject(cond)) return null;
  const ops = Object.keys(cond);
  if (ops.length === 1 && (ops[0] === '$in' || ops[0] === '$nin')) {
    const list = cond[ops[0]];
    if (!Array.isArray(list) || !list.every(isPrimitive)) return null;
    const set = new Set<unknown>(list);
    const inSet = (d: Doc) => {
      const v = d[key];
      return Array.isArray(v) ? v.some((x) => set.has(x)) : set.has(v);
    };
    return ops[0] === '$in' ? inSet : (d) => !inSet(d);
  }
  if (ops.length > 0 && ops.every((op) => ['$gte', '$gt', '$lt', '$lte'].includes(op) && cond[op] instanceof Date)) {
    const lo = cond.$gte instanceof Date ? cond.$gte.getTime() : cond.$gt instanceof Date ? cond.$gt.getTime() : -Infinity;
    const loStrict = !(cond.$gte instanceof Date) && cond.$gt instanceof Date;
    const hi = cond.$lt instanceof Date ? cond.$lt.getTime() : cond.$lte instanceof Date ? cond.$lte.getTime() : Infinity;
    const hiStrict = cond.$lt instanceof Date;
    if (cond.$gte instanceof Date && cond.$gt instanceof Date) return null;
    if (cond.$lt instanceof Date && cond.$lte instanceof Date) return null;
    const holds = (v: unknown) => {
      if (!(v instanceof Date)) return false;
      const t = v.getTime();
      return (loStrict ? t > lo : t >= lo) && (hiStrict ? t < hi : t <= hi);
    };
    return (d) => {
      const v = d[key];
      return Array.isArray(v) ? v.some(holds) : holds(v);
    };
  }
  return null;
}

/** `{ tags: "x" }` also matches when tags is an array containing "x". */
function arrayHas(v: unknown, target: unknown): boolean {
  return Array.isArray(v) && v.some((el) => sameValue(el, target));
}

function compileOperator(op: string, arg: unknown): ((values: unknown[]) => boolean) | null {
  const eq = (values: unknown[], target: unknown) => values.some((v) => sameValue(v, target) || arrayHas(v, target));
  switch (op) {
    case '$eq':
      return isSimple(arg) ? (values) => eq(values, arg) : null;
    case '$ne':
      return isSimple(arg) ? (values) => !eq(values, arg) : null;
    case '$in':
    case '$nin': {
      if (!Array.isArray(arg) || !arg.every(isSimple)) return null;
      const test = (values: unknown[]) => {
        for (const a of arg) if (eq(values, a)) return true;
        return false;
      };
      return op === '$in' ? test : (values) => !test(values);
    }
    case '$exists':
      return (values) => values.some((v) => v !== undefined) === Boolean(arg);
    default: {
      if (arg === null || !isSimple(arg)) return null;
      const holds = {
        $gt: (c: number) => c > 0,
        $gte: (c: number) => c >= 0,
        $lt: (c: number) => c < 0,
        $lte: (c: number) => c <= 0,
      }[op as '$gt' | '$gte' | '$lt' | '$lte'];
      // Comparisons only hold between values of the same type (type bracketing).
      const sameType = (v: unknown) =>
        v !== null && v !== undefined && (v instanceof Date ? arg instanceof Date : typeof v === typeof arg && !(arg instanceof Date));
      const one = (v: unknown) => sameType(v) && holds(compareValues(v, arg));
      return (values) => {
        for (const v of values) if (Array.isArray(v) ? v.some(one) : one(v)) return true;
        return false;
      };
    }
  }
}
