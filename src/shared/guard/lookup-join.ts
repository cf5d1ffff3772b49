import type { PipelineStage } from '../data/data-store.js';
import { isPlainObject } from './guard-rejection.js';
import { SHOP_REFS } from './query-check.js';

/**
 * Whether a pipeline-form `$lookup` joins: a `$match` among the stages its
 * pipeline starts with holds, in `$expr` (or an `$and` of them), an equality
 * (`$eq`, `$in`) between a joined document's field and a `let` variable bound
 * to a local field. shop_id does not count: both sides are this shop's already.
 *
 * The guard's own rewrite of the field form (`$size` of a `$setIntersection`
 * greater than 0) counts too, so a guarded pipeline passes the guard again.
 */
export function hasJoinCondition(
  vars: Record<string, unknown>,
  pipeline: readonly PipelineStage[],
): boolean {
  const joinVars = new Set(
    Object.entries(vars)
      .filter(([, v]) => typeof v === 'string' && /^\$[^$]/.test(v) && !SHOP_REFS.has(v))
      .map(([name]) => name),
  );
  if (joinVars.size === 0) return false;
  for (const stage of pipeline) {
    const match = stage.$match;
    if (!isPlainObject(match)) return false;
    if (exprConditions(match).some((c) => isJoin(c, joinVars))) return true;
  }
  return false;
}

function exprConditions(query: Record<string, unknown>): unknown[] {
  const out: unknown[] = query.$expr === undefined ? [] : conjuncts(query.$expr);
  if (Array.isArray(query.$and)) {
    for (const q of query.$and) if (isPlainObject(q)) out.push(...exprConditions(q));
  }
  return out;
}

function conjuncts(expr: unknown): unknown[] {
  if (isPlainObject(expr) && Object.keys(expr).length === 1 && Array.isArray(expr.$and))
    return expr.$and.flatMap(conjuncts);
  return [expr];
}

function isJoin(condition: unknown, joinVars: ReadonlySet<string>): boolean {
  if (!isPlainObject(condition) || Object.keys(condition).length !== 1) return false;
  const [op, args] = Object.entries(condition)[0]!;
  if (!Array.isArray(args) || args.length !== 2) return false;
  if (op === '$eq' || op === '$in') return joinsSides(args[0], args[1], joinVars);
  if (op === '$gt' && args[1] === 0 && isPlainObject(args[0])) {
    const size = args[0].$size;
    const sets = isPlainObject(size) ? size.$setIntersection : undefined;
    return Array.isArray(sets) && sets.length === 2 && joinsSides(sets[0], sets[1], joinVars);
  }
  return false;
}

/** One side reads only join variables, the other only the joined document's fields. */
function joinsSides(a: unknown, b: unknown, joinVars: ReadonlySet<string>): boolean {
  const ra = references(a, joinVars);
  const rb = references(b, joinVars);
  return (
    (ra.vars && !ra.fields && rb.fields && !rb.vars) ||
    (rb.vars && !rb.fields && ra.fields && !ra.vars)
  );
}

function references(
  value: unknown,
  joinVars: ReadonlySet<string>,
): { vars: boolean; fields: boolean } {
  const found = { vars: false, fields: false };
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (!v.startsWith('$') || SHOP_REFS.has(v)) return;
      if (!v.startsWith('$$')) {
        found.fields = true;
        return;
      }
      const name = v.slice(2).split('.')[0]!;
      if (joinVars.has(name)) found.vars = true;
      else if ((name === 'ROOT' || name === 'CURRENT') && v.includes('.')) found.fields = true;
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (isPlainObject(v)) {
      for (const [key, sub] of Object.entries(v)) if (key !== '$literal') walk(sub);
    }
  };
  walk(value);
  return found;
}
