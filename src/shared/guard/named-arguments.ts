import { at, isPlainObject, reject } from './guard-rejection.js';

/** An object of named arguments: unknown names are refused, required ones must be present. */
export function named(
  arg: unknown,
  path: string,
  allowed: string[],
  required: string[] = [],
): Record<string, unknown> {
  if (!isPlainObject(arg)) reject(path, `expected an object with ${allowed.join(', ')}`);
  for (const key of Object.keys(arg)) {
    if (!allowed.includes(key))
      reject(at(path, key), `unexpected argument '${key}' (allowed: ${allowed.join(', ')})`);
  }
  for (const key of required) if (arg[key] === undefined) reject(path, `'${key}' is required`);
  return arg;
}
