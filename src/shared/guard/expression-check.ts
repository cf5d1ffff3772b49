import {
  EXPRESSION_OPERATORS,
  FORBIDDEN_OPERATOR_REASONS,
  SYSTEM_VARIABLES,
} from './operator-allowlist.js';
import { at, isPlainObject, reject } from './guard-rejection.js';
import { checkRegex } from './regex-check.js';

const REGEX_OPERATORS = new Set(['$regexMatch', '$regexFind', '$regexFindAll']);

/** User variables ($let, $map `as`, $lookup `let`) must start lower-case, as in MongoDB. */
const USER_VARIABLE = /^[a-z][A-Za-z0-9_]*$/;

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
  return name;
}

/** `{ $date: "<ISO>" }` (EJSON, also what the text parser emits) as a real Date. */
export function ejsonDate(value: Record<string, unknown>, path: string): Date | null {
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$date') return null;
  const raw = value.$date;
  const date = typeof raw === 'string' || typeof raw === 'number' ? new Date(raw) : null;
  if (!date || Number.isNaN(date.getTime()))
    reject(at(path, '$date'), '$date needs an ISO 8601 string');
  return date;
}

/**
 * A literal value (query operand, bucket boundary): data only, so the one
 * `$`-key it may hold is an EJSON date.
 */
export function checkLiteral(value: unknown, path: string): unknown {
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
export function checkExpression(value: unknown, path: string): unknown {
  if (typeof value === 'string') {
    checkPathString(value, path);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => checkExpression(v, at(path, i)));
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  const opKeys = keys.filter((k) => k.startsWith('$'));
  if (opKeys.length === 0) {
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = checkExpression(value[key], at(path, key));
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
  switch (op) {
    // $literal is inert: its contents are data, whatever keys they hold. The
    // structure scan has already refused JavaScript and prototype keys in it.
    case '$literal':
      return { $literal: arg };
    case '$let':
      return { $let: checkLet(arg, argPath) };
    case '$map':
    case '$filter':
      return { [op]: checkWithAs(arg, argPath) };
    default:
      if (REGEX_OPERATORS.has(op) && isPlainObject(arg) && typeof arg.regex === 'string') {
        checkRegex(arg.regex, at(argPath, 'regex'));
      }
      return { [op]: checkExpression(arg, argPath) };
  }
}

function checkLet(arg: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(arg) || !isPlainObject(arg.vars) || !('in' in arg))
    reject(path, '$let needs { vars, in }');
  return {
    vars: checkVariables(arg.vars, at(path, 'vars')),
    in: checkExpression(arg.in, at(path, 'in')),
  };
}

function checkWithAs(arg: unknown, path: string): unknown {
  if (isPlainObject(arg) && arg.as !== undefined) checkVariableName(arg.as, at(path, 'as'));
  return checkExpression(arg, path);
}

/** `{ name: expression }` of $let and $lookup `let`. */
export function checkVariables(
  vars: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, expr] of Object.entries(vars)) {
    checkVariableName(name, at(path, name));
    out[name] = checkExpression(expr, at(path, name));
  }
  return out;
}
