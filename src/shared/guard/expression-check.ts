import {
  EXPRESSION_OPERATORS,
  FORBIDDEN_OPERATOR_REASONS,
  SYSTEM_VARIABLES,
} from './operator-allowlist.js';
import { at, isPlainObject, reject } from './guard-rejection.js';
import { builtinMemberSegment, prototypeSegment } from './prototype-names.js';
import { checkRegex } from './regex-check.js';
import { named } from './named-arguments.js';

const REGEX_OPERATORS = new Set(['$regexMatch', '$regexFind', '$regexFindAll']);
const FIELD_NAME_OPERATORS = new Set(['$getField', '$setField', '$unsetField']);

/** User variables ($let, $map `as`, $lookup `let`) must start lower-case, as in MongoDB. */
const USER_VARIABLE = /^[a-z][A-Za-z0-9_]*$/;

/**
 * `$range` builds its whole array at once, synchronously, in the embedded
 * engine: `[0, 2e9]` crashes the process. MongoDB takes only 32-bit integers.
 */
const MAX_RANGE_LENGTH = 10_000;
const INT32_MAX = 2 ** 31 - 1;

/** Where an expression sits: `iterating` is the per-element part of $map, $filter or $reduce. */
interface ExpressionScope {
  iterating: boolean;
}
const TOP_SCOPE: ExpressionScope = { iterating: false };
const ITERATING: ExpressionScope = { iterating: true };

/** Refuse an operator that is not on an allowlist, with the most useful reason. */
export function refuseOperator(op: string, path: string, where: string): never {
  const forbidden = FORBIDDEN_OPERATOR_REASONS.get(op);
  if (forbidden) reject(path, `${op} is not allowed: it ${forbidden}`);
  return reject(path, `unknown or unsupported ${where} operator ${op}`);
}

export function checkVariableName(name: unknown, path: string): string {
  if (typeof name !== 'string' || !USER_VARIABLE.test(name)) {
    reject(
      path,
      'variable names must start with a lower-case letter and contain only letters, digits and _',
    );
  }
  if (prototypeSegment(name) !== undefined)
    reject(path, `'${name}' is a JavaScript prototype member and cannot be a variable`);
  return name;
}

/**
 * `{ $date: "<ISO>" }` (EJSON, also what the text parser emits), `{ $date: <ms> }`
 * and canonical EJSON `{ $date: { $numberLong: "<ms>" } }` as a real Date.
 */
export function ejsonDate(value: Record<string, unknown>, path: string): Date | null {
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$date') return null;
  let raw = value.$date;
  if (
    isPlainObject(raw) &&
    Object.keys(raw).length === 1 &&
    typeof raw.$numberLong === 'string' &&
    /^-?\d{1,16}$/.test(raw.$numberLong)
  ) {
    raw = Number(raw.$numberLong);
  }
  const date = typeof raw === 'string' || typeof raw === 'number' ? new Date(raw) : null;
  if (!date || Number.isNaN(date.getTime()))
    reject(at(path, '$date'), '$date needs an ISO 8601 string or epoch milliseconds');
  return date;
}

/**
 * A literal value (query operand, bucket boundary): data only, so the one
 * `$`-key it may hold is an EJSON date.
 */
export function checkLiteral(value: unknown, path: string): unknown {
  if (typeof value === 'string' && value.startsWith('$$')) {
    // A query compares this as text, so `{ created_at: { $lt: "$$NOW" } }` (what the
    // parser makes of `new Date()`) would silently match nothing.
    reject(
      path,
      `'${value}' is a variable, which a query would compare as text: ` +
        `use $expr, e.g. { $expr: { $lt: ["$created_at", "$$NOW"] } }`,
    );
  }
  if (Array.isArray(value)) return value.map((v, i) => checkLiteral(v, at(path, i)));
  if (!isPlainObject(value)) return value;
  const date = ejsonDate(value, path);
  if (date) return date;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('$')) refuseOperator(key, at(path, key), 'literal');
    out[key] = checkLiteral(v, at(path, key));
  }
  return out;
}

/** A string that MongoDB reads as a field path or a variable. */
function checkPathString(s: string, path: string): void {
  if (!s.startsWith('$')) return;
  if (s.startsWith('$$')) {
    const name = s.slice(2).split('.')[0] ?? '';
    if (SYSTEM_VARIABLES.has(name)) return;
    if (/^[A-Z]/.test(name)) reject(path, `system variable $$${name} is not allowed`);
    checkVariableName(name, path);
    return;
  }
  if (
    s.length === 1 ||
    s
      .slice(1)
      .split('.')
      .some((part) => part === '' || part.startsWith('$'))
  ) {
    reject(path, `'${s}' is not a valid field path`);
  }
}

/**
 * Check an aggregation expression and return a copy (EJSON dates become Dates).
 * Objects with a `$`-key are operator calls and must hold exactly that one key;
 * other objects are literals whose values are expressions.
 */
export function checkExpression(
  value: unknown,
  path: string,
  scope: ExpressionScope = TOP_SCOPE,
): unknown {
  if (typeof value === 'string') {
    checkPathString(value, path);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => checkExpression(v, at(path, i), scope));
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  const opKeys = keys.filter((k) => k.startsWith('$'));
  if (opKeys.length === 0) {
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = checkExpression(value[key], at(path, key), scope);
    return out;
  }
  const date = ejsonDate(value, path);
  if (date) return date;
  const op = opKeys[0]!;
  if (keys.length !== 1) {
    reject(
      path,
      `an operator object must have exactly one key, found ${keys.map((k) => `'${k}'`).join(', ')}`,
    );
  }
  const argPath = at(path, op);
  if (!EXPRESSION_OPERATORS.has(op)) refuseOperator(op, argPath, 'expression');
  const arg = value[op];
  if (REGEX_OPERATORS.has(op)) return { [op]: checkRegexOperator(op, arg, argPath, scope) };
  if (FIELD_NAME_OPERATORS.has(op))
    return { [op]: checkFieldNameOperator(op, arg, argPath, scope) };
  switch (op) {
    // $literal is inert: its contents are data, whatever keys they hold. The
    // structure scan has already refused JavaScript and prototype keys in it.
    case '$literal':
      return { $literal: arg };
    case '$let':
      return { $let: checkLet(arg, argPath, scope) };
    case '$map':
      return { $map: checkIteration(arg, argPath, scope, ['input', 'as', 'in'], ['in']) };
    case '$filter':
      return {
        $filter: checkIteration(arg, argPath, scope, ['input', 'as', 'cond', 'limit'], ['cond']),
      };
    case '$reduce':
      return { $reduce: checkReduce(arg, argPath, scope) };
    case '$range':
      return { $range: checkRange(arg, argPath, scope) };
    default:
      return { [op]: checkExpression(arg, argPath, scope) };
  }
}

function checkLet(arg: unknown, path: string, scope: ExpressionScope): Record<string, unknown> {
  if (!isPlainObject(arg) || !isPlainObject(arg.vars) || !('in' in arg))
    reject(path, '$let needs { vars, in }');
  return {
    vars: checkVariables(arg.vars, at(path, 'vars'), scope),
    in: checkExpression(arg.in, at(path, 'in'), scope),
  };
}

/** $map and $filter: `perElement` arguments run once per input element. */
function checkIteration(
  arg: unknown,
  path: string,
  scope: ExpressionScope,
  allowed: string[],
  perElement: string[],
): Record<string, unknown> {
  const a = named(arg, path, allowed, ['input', ...perElement]);
  if (a.as !== undefined) checkVariableName(a.as, at(path, 'as'));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(a)) {
    out[key] =
      key === 'as'
        ? v
        : checkExpression(v, at(path, key), perElement.includes(key) ? ITERATING : scope);
  }
  return out;
}

function checkReduce(arg: unknown, path: string, scope: ExpressionScope): Record<string, unknown> {
  const a = named(arg, path, ['input', 'initialValue', 'in'], ['input', 'initialValue', 'in']);
  checkAccumulatorGrowth(a.in, at(path, 'in'));
  return {
    input: checkExpression(a.input, at(path, 'input'), scope),
    initialValue: checkExpression(a.initialValue, at(path, 'initialValue'), scope),
    in: checkExpression(a.in, at(path, 'in'), ITERATING),
  };
}

/**
 * `$reduce` whose `in` uses `$$value` twice doubles it on every element
 * (`$concatArrays: ["$$value", "$$value"]` over 27 elements is 2^27 items, and
 * the embedded engine runs out of memory). So the result of `in` may hold at
 * most one copy of `$$value`, counted this way: under an operator that returns
 * a boolean or a number (`$gt: ["$$this", "$$value"]`) it is not a copy; of
 * `$cond`/`$switch`/`$ifNull` branches only one is returned; a nested $reduce's
 * `in` has its own `$$value`. Where it would be copied per element or under
 * another name (in a $map, as the input of $filter/$reduce, in $let's `vars`)
 * it is refused outright.
 */
function checkAccumulatorGrowth(inExpr: unknown, path: string): void {
  const copies = (v: unknown, aliased = false): number => {
    if (typeof v === 'string') {
      if (v !== '$$value' && !v.startsWith('$$value.')) return 0;
      if (aliased)
        reject(path, '$$value may only be used directly in $reduce.in, not copied per element');
      return 1;
    }
    if (Array.isArray(v)) return v.reduce((n: number, item) => n + copies(item, aliased), 0);
    if (!isPlainObject(v)) return 0;
    let n = 0;
    for (const [key, arg] of Object.entries(v)) {
      const args = isPlainObject(arg) ? arg : {};
      if (key === '$literal') continue;
      if (SCALAR_RESULT_OPERATORS.has(key)) {
        copies(arg, aliased);
      } else if (key === '$map') {
        copies(arg, true);
      } else if (key === '$let') {
        copies(args.vars, true);
        n += copies(args.in, aliased);
      } else if (key === '$filter' || key === '$reduce') {
        // A filter returns part of its input; a nested $reduce's `in` has its own $$value.
        copies(args.input, true);
        copies(args.initialValue, true);
        copies(args.cond, aliased);
        copies(args.limit, aliased);
      } else if (key === '$cond' || key === '$switch' || key === '$ifNull') {
        n += oneOf(key, arg, aliased);
      } else {
        n += copies(arg, aliased);
      }
    }
    return n;
  };
  // Conditions are not copies; of the branches, one is returned.
  const oneOf = (op: string, arg: unknown, aliased: boolean): number => {
    let branches: unknown[];
    if (op === '$ifNull') {
      branches = Array.isArray(arg) ? arg : [arg];
    } else if (op === '$cond' && Array.isArray(arg)) {
      copies(arg[0], aliased);
      branches = arg.slice(1);
    } else if (op === '$cond' && isPlainObject(arg)) {
      copies(arg.if, aliased);
      branches = [arg.then, arg.else];
    } else if (isPlainObject(arg) && Array.isArray(arg.branches)) {
      branches = [arg.default];
      for (const b of arg.branches) {
        copies(isPlainObject(b) ? b.case : undefined, aliased);
        branches.push(isPlainObject(b) ? b.then : undefined);
      }
    } else {
      return copies(arg, aliased);
    }
    return Math.max(0, ...branches.map((b) => copies(b, aliased)));
  };
  if (copies(inExpr) > 1)
    reject(path, '$$value may appear only once in $reduce.in (twice doubles it on every element)');
}

/** Operators whose result is a boolean or a number, however large their arguments. */
const SCALAR_RESULT_OPERATORS: ReadonlySet<string> = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$cmp',
  '$and',
  '$or',
  '$not',
  '$in',
  '$isArray',
  '$size',
  '$strLenCP',
  '$strLenBytes',
  '$indexOfArray',
  '$type',
]);

function checkRange(arg: unknown, path: string, scope: ExpressionScope): number[] {
  if (scope.iterating)
    reject(path, '$range may not run per element of $map, $filter or $reduce (it multiplies)');
  if (!Array.isArray(arg) || arg.length < 2 || arg.length > 3)
    reject(path, '$range needs [start, end] or [start, end, step]');
  const ints = arg.map((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > INT32_MAX)
      reject(at(path, i), '$range bounds and step must be literal 32-bit integers');
    return v;
  });
  const [start, end, step] = ints as [number, number, number | undefined];
  if (step === 0) reject(at(path, 2), '$range step may not be 0');
  if (Math.abs(end - start) > MAX_RANGE_LENGTH)
    reject(path, `$range may span at most ${MAX_RANGE_LENGTH} numbers`);
  return ints;
}

/**
 * `$getField` names a field with a constant, as MongoDB 7 requires: a string,
 * or `$literal` for a name that starts with `$`. mingo reads `input[field]`
 * with whatever the name evaluates to, so a computed "__proto__" was a live
 * `Array.prototype`. (`$setField` and `$unsetField` would take the same check;
 * they are not on the allowlist.)
 */
function checkFieldNameOperator(
  op: string,
  arg: unknown,
  path: string,
  scope: ExpressionScope,
): unknown {
  if (typeof arg === 'string' && op === '$getField') {
    checkConstantFieldName(arg, path);
    return arg;
  }
  const a = named(
    arg,
    path,
    op === '$setField' ? ['field', 'input', 'value'] : ['field', 'input'],
    ['field'],
  );
  checkConstantFieldName(a.field, at(path, 'field'));
  const out: Record<string, unknown> = { field: a.field };
  for (const key of ['input', 'value']) {
    if (a[key] !== undefined) out[key] = checkExpression(a[key], at(path, key), scope);
  }
  return out;
}

function checkConstantFieldName(field: unknown, path: string): void {
  const name = typeof field === 'string' ? field : constantString(field);
  if (name === undefined || (typeof field === 'string' && field.startsWith('$'))) {
    reject(
      path,
      'field must be a constant string (use { $literal: "$name" } for a name that starts with $)',
    );
  }
  const builtin = builtinMemberSegment(name);
  if (builtin !== undefined)
    reject(
      path,
      `'${name}' is not allowed as a field name ('${builtin}' is a JavaScript prototype member)`,
    );
}

/**
 * `$regexMatch`/`$regexFind`/`$regexFindAll`: the pattern and options must be
 * constants (a computed pattern is never checked), given as a string, as
 * `{ $literal: "..." }` or as the `{ $regex, $options }` the text parser makes
 * of a shell `/.../i`. The result carries plain strings.
 */
function checkRegexOperator(
  op: string,
  arg: unknown,
  path: string,
  scope: ExpressionScope,
): Record<string, unknown> {
  const a = named(arg, path, ['input', 'regex', 'options'], ['input', 'regex']);
  const regexPath = at(path, 'regex');
  let pattern = constantString(a.regex);
  let options = a.options === undefined ? undefined : constantString(a.options);
  if (pattern === undefined && isRegexLiteral(a.regex)) {
    if (a.options !== undefined)
      reject(at(path, 'options'), 'give the options once, in the regex literal or in options');
    pattern = a.regex.$regex;
    options = a.regex.$options ?? '';
  }
  if (pattern === undefined)
    reject(regexPath, 'regex must be a constant string (a computed pattern cannot be checked)');
  if (options === undefined && a.options !== undefined)
    reject(at(path, 'options'), 'options must be a constant string');
  const checked = checkRegex(pattern, options, regexPath, {
    mustConsume: op === '$regexFindAll',
    testOnly: op === '$regexMatch',
  });
  return {
    input: checkExpression(a.input, at(path, 'input'), scope),
    regex: checked.pattern,
    ...(checked.options ? { options: checked.options } : {}),
  };
}

/** A string constant: a plain string that is not a path or variable, or `{ $literal: string }`. */
function constantString(v: unknown): string | undefined {
  if (typeof v === 'string') return v.startsWith('$') ? undefined : v;
  if (isPlainObject(v) && Object.keys(v).length === 1 && typeof v.$literal === 'string')
    return v.$literal;
  return undefined;
}

/** `{ $regex: string, $options?: string }`: a shell regex literal as the text parser emits it. */
export function isRegexLiteral(v: unknown): v is { $regex: string; $options?: string } {
  if (!isPlainObject(v) || typeof v.$regex !== 'string') return false;
  const keys = Object.keys(v);
  return keys.every((k) => k === '$regex' || (k === '$options' && typeof v.$options === 'string'));
}

/** `{ name: expression }` of $let and $lookup `let`. */
export function checkVariables(
  vars: Record<string, unknown>,
  path: string,
  scope: ExpressionScope = TOP_SCOPE,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, expr] of Object.entries(vars)) {
    checkVariableName(name, at(path, name));
    out[name] = checkExpression(expr, at(path, name), scope);
  }
  return out;
}
