import { FIELD_QUERY_OPERATORS, LOGICAL_QUERY_OPERATORS } from './operator-allowlist.js';
import { checkExpression, checkLiteral, ejsonDate, refuseOperator } from './expression-check.js';
import { at, isPlainObject, reject } from './guard-rejection.js';
import { checkRegex } from './regex-check.js';

const SHOP_FIELD = 'shop_id';
const SHOP_REFS = new Set(['$shop_id', '$$ROOT.shop_id', '$$CURRENT.shop_id']);

/**
 * Check a query document ($match, restrictSearchWithMatch) and return a copy.
 *
 * The guard scopes every read to the shop itself, so a query cannot actually
 * reach another shop; but a query that *names* another shop is a model trying
 * to, and is refused with a reason it can act on. `shop_id` may appear only as
 * an equality to this shop, and never under $or/$nor/$not where it would widen
 * rather than narrow.
 */
export function checkQuery(
  query: unknown,
  path: string,
  shopId: number,
  widening = false,
): Record<string, unknown> {
  if (!isPlainObject(query)) reject(path, 'a query must be an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const keyPath = at(path, key);
    if (key.startsWith('$')) {
      out[key] = checkLogical(key, value, keyPath, shopId, widening);
    } else if (key === SHOP_FIELD) {
      out[key] = checkShopCondition(value, keyPath, shopId, widening);
    } else {
      out[key] = checkFieldCondition(value, keyPath, shopId);
    }
  }
  return out;
}

function checkLogical(
  op: string,
  value: unknown,
  path: string,
  shopId: number,
  widening: boolean,
): unknown {
  if (!LOGICAL_QUERY_OPERATORS.has(op)) refuseOperator(op, path, 'query');
  if (op === '$expr') {
    checkShopRefs(value, path, shopId);
    return checkExpression(value, path);
  }
  if (!Array.isArray(value) || value.length === 0)
    reject(path, `${op} needs a non-empty array of queries`);
  const widens = widening || op !== '$and';
  return value.map((q, i) => checkQuery(q, at(path, i), shopId, widens));
}

function checkShopCondition(
  value: unknown,
  path: string,
  shopId: number,
  widening: boolean,
): number {
  if (widening)
    reject(path, 'shop_id may not appear inside $or/$nor/$not: a pipeline reads only its own shop');
  const equal =
    value === shopId ||
    (isPlainObject(value) && Object.keys(value).length === 1 && value.$eq === shopId);
  if (!equal) reject(path, `pipeline reads another shop: shop_id may only equal ${shopId}`);
  return shopId;
}

/** `{ field: literal }` or `{ field: { $op: ... } }`. */
function checkFieldCondition(value: unknown, path: string, shopId: number): unknown {
  if (!isPlainObject(value) || ejsonDate(value, path)) return checkLiteral(value, path);
  const keys = Object.keys(value);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length === 0) return checkLiteral(value, path);
  if (ops.length !== keys.length)
    reject(path, 'query operators and field names cannot be mixed in one condition');
  const out: Record<string, unknown> = {};
  for (const op of ops) out[op] = checkFieldOperator(op, value[op], at(path, op), shopId);
  return out;
}

function checkFieldOperator(op: string, arg: unknown, path: string, shopId: number): unknown {
  if (!FIELD_QUERY_OPERATORS.has(op)) refuseOperator(op, path, 'query');
  switch (op) {
    case '$in':
    case '$nin':
    case '$all':
      if (!Array.isArray(arg)) reject(path, `${op} needs an array`);
      return checkLiteral(arg, path);
    case '$regex':
    case '$options':
      if (typeof arg !== 'string') reject(path, `${op} needs a string`);
      if (op === '$regex') checkRegex(arg, path);
      return arg;
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
      return checkFieldCondition(arg, path, shopId);
    case '$elemMatch':
      if (!isPlainObject(arg)) reject(path, '$elemMatch needs an object');
      // Items of an array are either documents (a query) or scalars (operators).
      return Object.keys(arg).every((k) => k.startsWith('$') && !LOGICAL_QUERY_OPERATORS.has(k))
        ? checkFieldCondition(arg, path, shopId)
        : checkQuery(arg, path, shopId, true);
    default:
      return checkLiteral(arg, path);
  }
}

/**
 * In `$expr`, `$shop_id` may only be compared for equality with this shop.
 */
function checkShopRefs(expr: unknown, path: string, shopId: number): void {
  if (typeof expr === 'string') {
    if (SHOP_REFS.has(expr))
      reject(path, `pipeline reads another shop: $expr may only compare shop_id with ${shopId}`);
    return;
  }
  if (Array.isArray(expr)) {
    expr.forEach((v, i) => checkShopRefs(v, at(path, i), shopId));
    return;
  }
  if (!isPlainObject(expr)) return;
  const eq = expr.$eq;
  if (Object.keys(expr).length === 1 && Array.isArray(eq) && eq.length === 2) {
    const [a, b] = eq;
    const isRef = (v: unknown) => typeof v === 'string' && SHOP_REFS.has(v);
    if ((isRef(a) && b === shopId) || (isRef(b) && a === shopId)) return;
  }
  for (const [key, v] of Object.entries(expr)) checkShopRefs(v, at(path, key), shopId);
}
