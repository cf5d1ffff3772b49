/**
 * Names that reach JavaScript built-ins instead of document data when mingo (the
 * embedded engine) reads `obj[name]`. MongoDB has no such names, so a pipeline
 * that uses one as a field, a path segment or a variable is refused.
 */

function ownNames(...protos: object[]): string[] {
  return protos.flatMap((p) => Object.getOwnPropertyNames(p));
}

/**
 * Refused in field paths, field names and variables: everything on
 * `Object.prototype` (inherited by every document) and `Date.prototype` (a
 * path through a date field such as `$created_at.getTime` reads a function).
 * Arrays and strings are not listed: mingo resolves only numeric segments on
 * arrays and nothing on strings, and names such as `values`, `sort` or `map`
 * are ordinary output field names.
 */
const PATH_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'prototype',
  ...ownNames(Object.prototype, Date.prototype),
]);

/**
 * Refused as a `$getField` name as well: mingo's `$getField` is `input[field]`
 * on whatever `input` is, so an array, a string or a number reaches its own
 * prototype's members too (`{ field: "map", input: "$items" }` is a function).
 * Documents hold no functions or regular expressions, so those prototypes are
 * out of reach (and `name`, a field here, is one of Function.prototype's).
 */
const MEMBER_NAMES: ReadonlySet<string> = new Set([
  ...PATH_NAMES,
  ...ownNames(Array.prototype, String.prototype, Number.prototype, Boolean.prototype),
]);

/** The first segment of a dotted path that names a prototype member, if any. */
export function prototypeSegment(path: string): string | undefined {
  return path.split('.').find((part) => PATH_NAMES.has(part));
}

/** A `$getField` name that reads a built-in member rather than a field, if any segment does. */
export function builtinMemberSegment(name: string): string | undefined {
  return MEMBER_NAMES.has(name) ? name : name.split('.').find((part) => MEMBER_NAMES.has(part));
}
