import { FORBIDDEN_OPERATOR_REASONS } from './operator-allowlist.js';
import { at, isPlainObject, reject } from './guard-rejection.js';
import { prototypeSegment } from './prototype-names.js';

export interface StructureLimits {
  maxDepth: number;
  maxNodes: number;
  maxStringLength: number;
}

/**
 * Each regular expression costs a ReDoS check of up to a few hundred
 * milliseconds; no question needs more than a handful of them.
 */
const MAX_REGEXES = 5;
const REGEX_KEYS = new Set(['$regex', '$regexMatch', '$regexFind', '$regexFindAll']);

/**
 * Strings shaped like JavaScript. MongoDB only runs JavaScript through the
 * operators refused elsewhere, so these are defence in depth: a model that
 * writes a function body is trying something, and nothing legitimate over
 * orders, products and customers looks like this.
 */
const JAVASCRIPT_PATTERNS: readonly RegExp[] = [
  // No \s* on both sides of an optional part: "function" and 2,000 spaces
  // made the old pattern take seconds (each split of the spaces was tried).
  /\bfunction[\s*]*(?:[\w$]+\s*)?\(/,
  /=>/,
  /\bnew\s+Function\b/,
  /\beval\s*\(/,
];

// Control characters in names are never legitimate and hide operator names from readers.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * One iterative pass over the raw input before any recursive check, so hostile
 * depth or size is refused without ever recursing into it. It also refuses,
 * wherever they appear (even inside `$literal`), the things that are never
 * acceptable: JavaScript, prototype names in keys and in `$` paths or
 * variables, non-JSON values, known-dangerous operators.
 */
export function scanStructure(root: unknown, rootPath: string, limits: StructureLimits): void {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: rootPath, depth: 0 },
  ];
  let nodes = 0;
  let regexes = 0;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (++nodes > limits.maxNodes)
      reject(rootPath, `pipeline is too large (more than ${limits.maxNodes} values)`);
    if (depth > limits.maxDepth)
      reject(path, `pipeline is nested too deeply (more than ${limits.maxDepth} levels)`);
    switch (typeof value) {
      case 'string':
        checkText(value, path, limits);
        checkPathValue(value, path);
        continue;
      case 'number':
        if (!Number.isFinite(value)) reject(path, 'numbers must be finite');
        continue;
      case 'boolean':
        continue;
      case 'object':
        break;
      default:
        reject(path, `a ${typeof value} is not a JSON value`);
    }
    if (value === null) continue;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) reject(path, 'invalid date');
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: at(path, i), depth: depth + 1 }));
      continue;
    }
    if (!isPlainObject(value))
      reject(
        path,
        'only plain objects, arrays, strings, numbers, booleans, null and dates are allowed',
      );
    for (const key of Object.keys(value)) {
      const keyPath = at(path, key);
      checkKey(key, keyPath, limits);
      if (REGEX_KEYS.has(key) && ++regexes > MAX_REGEXES)
        reject(keyPath, `at most ${MAX_REGEXES} regular expressions per pipeline`);
      stack.push({ value: value[key], path: keyPath, depth: depth + 1 });
    }
  }
}

function checkKey(key: string, path: string, limits: StructureLimits): void {
  if (key.length > 256) reject(path, 'field name is too long');
  if (CONTROL_CHARS.test(key)) reject(path, 'field names may not contain control characters');
  const forbidden = FORBIDDEN_OPERATOR_REASONS.get(key);
  if (forbidden) reject(path, `${key} is not allowed: it ${forbidden}`);
  if (key === '$scope') reject(path, '$scope is not allowed: it belongs to JavaScript code');
  // A `$` key is an operator, checked against the allowlists (`$toString` is one).
  const proto = key.startsWith('$') ? undefined : prototypeSegment(key);
  if (proto !== undefined)
    reject(
      path,
      `'${key}' is not allowed as a field name ('${proto}' is a JavaScript prototype member)`,
    );
  checkText(key, path, limits);
}

function checkText(s: string, path: string, limits: StructureLimits): void {
  if (s.length > limits.maxStringLength)
    reject(path, `string is longer than ${limits.maxStringLength} characters`);
  if (JAVASCRIPT_PATTERNS.some((re) => re.test(s)))
    reject(path, 'strings that look like JavaScript are not allowed');
}

function checkPathValue(s: string, path: string): void {
  // Field paths ("$a.b") and variables ("$$x.y") resolve segment by segment, so a
  // prototype name in any segment is refused. Other strings are data: a product may
  // be called "prototype". Names given as plain strings (fields written, $getField)
  // are checked where they are read as names.
  if (s.startsWith('$')) {
    const proto = prototypeSegment(s.replace(/^\$+/, ''));
    if (proto !== undefined)
      reject(
        path,
        `'${s}' is not allowed ('${proto}' is a JavaScript prototype member, not a field)`,
      );
  }
}
