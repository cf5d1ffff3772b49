import { FIELD_QUERY_OPERATORS, LOGICAL_QUERY_OPERATORS } from './operator-allowlist.js';
import {
  checkExpression,
  checkLiteral,
  ejsonDate,
  isRegexLiteral,
  refuseOperator,
} from './expression-check.js';
import { at, isPlainObject, reject } from './guard-rejection.js';
import { checkRegex } from './regex-check.js';

const SHOP_FIELD = 'shop_id';
export const SHOP_REFS: ReadonlySet<string> = new Set([
  '$shop_id',
  '$$ROOT.shop_id',
  '$$CURRENT.shop_id',
]);

/** What a query needs to know about where it runs. */
export interface QueryScope {
  shopId: number;
  /** `$lookup` `let` variables bound to the local document's shop_id (`{ sid: "$shop_id" }`). */
  shopVariables: ReadonlySet<string>;
}

/**
 * Where a condition sits. In `$or` branches that each say `shop_id: <this
 * shop>` (models write that, told to always filter by shop) the equality is
 * redundant with the forced shop `$match`, so it is accepted. Under `$nor` or
 * `$elemMatch`, or in only some `$or` branches, a shop_id condition does not
 * narrow the read (`$or: [{ shop_id: 2 }, { status: { $exists: true } }]` says
 * "any shop"), so any is refused.
 */
type Nesting = 'plain' | 'or' | 'strict';

/**
 * Check a query document ($match, restrictSearchWithMatch) and return a copy.
 *
 * The guard scopes every read to the shop itself, so a query cannot actually
 * reach another shop; but a query that *names* another shop is a model trying
 * to, and is refused with a reason it can act on. `shop_id` may appear only as
 * an equality to this shop (`1`, `{ $eq: 1 }`, `{ $in: [1] }`), and never under
 * $nor/$not/$elemMatch.
 */
export function checkQuery(
  query: unknown,
  path: string,
  scope: QueryScope,
  nesting: Nesting = 'plain',
): Record<string, unknown> {
  if (!isPlainObject(query)) reject(path, 'a query must be an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const keyPath = at(path, key);
    if (key.startsWith('$')) {
      out[key] = checkLogical(key, value, keyPath, scope, nesting);
    } else if (key === SHOP_FIELD) {
      out[key] = checkShopCondition(value, keyPath, scope.shopId, nesting);
    } else {
      out[key] = checkFieldCondition(value, keyPath, scope);
    }
  }
  return out;
}

function checkLogical(
  op: string,
  value: unknown,
  path: string,
  scope: QueryScope,
  nesting: Nesting,
): unknown {
  if (!LOGICAL_QUERY_OPERATORS.has(op)) refuseOperator(op, path, 'query');
  if (op === '$expr') {
    checkShopRefs(value, path, scope);
    return checkExpression(value, path);
  }
  if (!Array.isArray(value) || value.length === 0)
    reject(path, `${op} needs a non-empty array of queries`);
  const inner: Nesting =
    op === '$nor' || nesting === 'strict'
      ? 'strict'
      : op === '$or'
        ? value.every((q) => isPlainObject(q) && SHOP_FIELD in q)
          ? 'or'
          : 'strict'
        : nesting;
  return value.map((q, i) => checkQuery(q, at(path, i), scope, inner));
}

function checkShopCondition(
  value: unknown,
  path: string,
  shopId: number,
  nesting: Nesting,
): number {
  if (nesting === 'strict') {
    reject(
      path,
      'shop_id may not appear inside $nor or $elemMatch, nor in only some $or branches: ' +
        'a pipeline reads only its own shop',
    );
  }
  const only = isPlainObject(value) && Object.keys(value).length === 1;
  const inList = only && Array.isArray(value.$in) ? (value.$in as unknown[]) : null;
  const equal =
    value === shopId ||
    (only && value.$eq === shopId) ||
    (inList !== null && inList.length > 0 && inList.every((v) => v === shopId));
  if (!equal) reject(path, `pipeline reads another shop: shop_id may only equal ${shopId}`);
  return shopId;
}

/** `{ field: literal }` or `{ field: { $op: ... } }`. */
function checkFieldCondition(value: unknown, path: string, scope: QueryScope): unknown {
  if (!isPlainObject(value) || ejsonDate(value, path)) return checkLiteral(value, path);
  const keys = Object.keys(value);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length === 0) return checkLiteral(value, path);
  if (ops.length !== keys.length)
    reject(path, 'query operators and field names cannot be mixed in one condition');
  const out: Record<string, unknown> = {};
  for (const op of ops) {
    if (op === '$regex' || op === '$options') continue;
    out[op] = checkFieldOperator(op, value[op], at(path, op), scope);
  }
  if ('$regex' in value || '$options' in value) Object.assign(out, checkQueryRegex(value, path));
  return out;
}

/**
 * `{ $regex, $options }`: constant strings, checked for catastrophic
 * backtracking. `$regex` may also hold the `{ $regex, $options }` that the text
 * parser makes of a shell `/.../i` (`{ name: { $regex: /x/i } }`).
 */
function checkQueryRegex(value: Record<string, unknown>, path: string): Record<string, string> {
  let pattern = value.$regex;
  let options = value.$options;
  if (pattern === undefined) reject(at(path, '$options'), '$options needs a $regex');
  if (isRegexLiteral(pattern)) {
    if (options !== undefined && pattern.$options !== undefined)
      reject(at(path, '$options'), 'give the options once, in the regex literal or in $options');
    options = options ?? pattern.$options;
    pattern = pattern.$regex;
  }
  if (typeof pattern !== 'string') reject(at(path, '$regex'), '$regex needs a string');
  if (options !== undefined && typeof options !== 'string')
    reject(at(path, '$options'), '$options needs a string');
  const checked = checkRegex(pattern, options, at(path, '$regex'), { testOnly: true });
  return { $regex: checked.pattern, ...(checked.options ? { $options: checked.options } : {}) };
}

function checkFieldOperator(op: string, arg: unknown, path: string, scope: QueryScope): unknown {
  if (!FIELD_QUERY_OPERATORS.has(op)) refuseOperator(op, path, 'query');
  switch (op) {
    case '$in':
    case '$nin':
    case '$all':
      if (!Array.isArray(arg)) reject(path, `${op} needs an array`);
      return checkLiteral(arg, path);
    case '$exists':
      if (typeof arg !== 'boolean' && arg !== 0 && arg !== 1)
        reject(path, '$exists needs true or false');
      return arg;
    case '$size':
      if (!Number.isSafeInteger(arg) || (arg as number) < 0)
        reject(path, '$size needs a non-negative integer');
      return arg;
    case '$not':
      if (!isPlainObject(arg)) reject(path, '$not needs an operator object');
      return checkFieldCondition(arg, path, scope);
    case '$elemMatch':
      if (!isPlainObject(arg)) reject(path, '$elemMatch needs an object');
      // Items of an array are either documents (a query) or scalars (operators).
      return Object.keys(arg).every((k) => k.startsWith('$') && !LOGICAL_QUERY_OPERATORS.has(k))
        ? checkFieldCondition(arg, path, scope)
        : checkQuery(arg, path, scope, 'strict');
    default:
      return checkLiteral(arg, path);
  }
}

/**
 * In `$expr`, `$shop_id` may only be compared for equality with this shop, or
 * with a `$lookup` variable bound to the local document's shop_id (a join on
 * shop_id, which the forced scope on both sides makes a no-op).
 */
function checkShopRefs(expr: unknown, path: string, scope: QueryScope): void {
  if (typeof expr === 'string') {
    if (SHOP_REFS.has(expr)) {
      reject(
        path,
        `pipeline reads another shop: $expr may only compare shop_id with ${scope.shopId}`,
      );
    }
    return;
  }
  if (Array.isArray(expr)) {
    expr.forEach((v, i) => checkShopRefs(v, at(path, i), scope));
    return;
  }
  if (!isPlainObject(expr)) return;
  const eq = expr.$eq;
  if (Object.keys(expr).length === 1 && Array.isArray(eq) && eq.length === 2) {
    const [a, b] = eq;
    const isRef = (v: unknown) => typeof v === 'string' && SHOP_REFS.has(v);
    const isOwnShop = (v: unknown) =>
      v === scope.shopId ||
      (typeof v === 'string' && v.startsWith('$$') && scope.shopVariables.has(v.slice(2)));
    if ((isRef(a) && isOwnShop(b)) || (isRef(b) && isOwnShop(a))) return;
  }
  for (const [key, v] of Object.entries(expr)) checkShopRefs(v, at(path, key), scope);
}
