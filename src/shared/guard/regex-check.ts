import { reject } from './guard-rejection.js';

/**
 * mingo runs regular expressions in process with JavaScript's backtracking
 * engine, so nested quantifiers (`(a+)+`) could stall a worker: refused.
 */
export function checkRegex(pattern: string, path: string): void {
  if (pattern.length > 200) reject(path, 'regular expression is longer than 200 characters');
  if (/\([^()]*[+*}][^()]*\)\s*[+*{]/.test(pattern))
    reject(path, 'nested quantifiers in a regular expression are not allowed');
  try {
    new RegExp(pattern);
  } catch {
    reject(path, 'invalid regular expression');
  }
}
