/**
 * Value semantics of MongoDB's query and aggregation language that the fast
 * path needs: path lookup through arrays, BSON-style ordering and equality.
 */

export type Doc = Record<string, unknown>;

/** Value at a dotted path; arrays along the way yield every element's value. */
export function valuesAt(doc: unknown, path: string[], start = 0): unknown[] {
  let current: unknown = doc;
  for (let i = start; i < path.length; i++) {
    if (Array.isArray(current)) {
      return current.flatMap((el) => valuesAt(el, path, i));
    }
    if (current === null || typeof current !== 'object' || current instanceof Date) return [undefined];
    current = (current as Doc)[path[i]!];
  }
  return [current];
}

/**
 * Aggregation-expression field path: "$a.b" → the value, where an array along
 * the way maps to an array of values (as `$items.quantity` gives [2, 1]).
 */
export function fieldValue(doc: unknown, path: string[]): unknown {
  let current: unknown = doc;
  for (let i = 0; i < path.length; i++) {
    if (Array.isArray(current)) {
      const rest = path.slice(i);
      return current.map((el) => fieldValue(el, rest)).filter((v) => v !== undefined);
    }
    if (current === null || typeof current !== 'object' || current instanceof Date) return undefined;
    current = (current as Doc)[path[i]!];
  }
  return current;
}

/** BSON type order for comparisons: null < numbers < strings < objects < arrays < booleans < dates. */
function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (v instanceof Date) return 8;
  if (Array.isArray(v)) return 5;
  if (typeof v === 'boolean') return 7;
  if (typeof v === 'object') return 4;
  return 10;
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (ra === 1) return 0;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return a === b;
}

/** A stable key for grouping: distinguishes types (1 vs "1") and compares dates by time. */
export function groupKey(v: unknown): string {
  if (v === undefined || v === null) return 'n';
  if (v instanceof Date) return `d${v.getTime()}`;
  if (typeof v === 'number') return `#${v}`;
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'boolean') return `b${v}`;
  return `o${JSON.stringify(v, (_k, x: unknown) => (x instanceof Date ? { $date: x.getTime() } : x))}`;
}

export function isPlainObject(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
