import { isSafePattern } from 'redos-detector';
import { reject } from './guard-rejection.js';

/** A checked regular expression, as the engines get it: a pattern and JavaScript-compatible flags. */
export interface CheckedRegex {
  pattern: string;
  options: string;
}

const MAX_PATTERN_LENGTH = 200;

/**
 * redos-detector explores the ways a pattern can match; harmless patterns need
 * a few dozen steps. Past this many the pattern is refused as too complex to
 * check: the limit is deterministic, unlike the time backstop below it, and
 * keeps one check under about 300 milliseconds.
 */
const MAX_CHECK_STEPS = 1000;
const CHECK_TIMEOUT_MS = 250;

/**
 * Check a regular expression that a pipeline runs, and return it as it must run.
 *
 * mingo runs regular expressions in process with JavaScript's backtracking
 * engine, where `^(a|a)*$` on 35 characters never finishes; so every pattern
 * goes through redos-detector, which refuses any pattern that can match one
 * input in more than a bounded number of ways (exponential or polynomial
 * backtracking). Bounded repeats such as `{1}` or `{2,5}` pass when the
 * pattern stays unambiguous.
 *
 * Options are MongoDB's i, m, s and x. `x` (extended: whitespace and `#`
 * comments are ignored) is applied here, by removing them, because mingo does
 * not support it and the check must see the pattern that really runs. `g` and
 * `y` would make mingo's RegExp keep state between documents.
 *
 * `mustConsume` is for `$regexFindAll`: mingo's loop never advances past an
 * empty match, so a pattern that can match the empty string would spin for ever.
 */
export function checkRegex(
  pattern: string,
  options: string | undefined,
  path: string,
  { mustConsume = false, testOnly = false }: { mustConsume?: boolean; testOnly?: boolean } = {},
): CheckedRegex {
  const flags = options ?? '';
  if (!/^[imsx]*$/.test(flags) || new Set(flags).size !== flags.length)
    reject(path, `regex options may only be i, m, s and x, each once (not '${flags}')`);
  const extended = flags.includes('x') ? withoutExtendedSyntax(pattern) : pattern;
  // Where only "does it match" counts ($regex in a query, $regexMatch), a
  // leading or trailing .* changes nothing but the cost: ".*socks.*", which
  // models write all the time, runs as "socks" instead of being refused.
  const source = testOnly ? withoutOpenEnds(extended) : extended;
  const jsFlags = flags.replace('x', '');
  if (source.length > MAX_PATTERN_LENGTH)
    reject(path, `regular expression is longer than ${MAX_PATTERN_LENGTH} characters`);
  let re: RegExp;
  try {
    re = new RegExp(source, jsFlags);
  } catch {
    return reject(path, 'invalid regular expression');
  }
  let result: ReturnType<typeof isSafePattern>;
  try {
    result = isSafePattern(source, {
      caseInsensitive: jsFlags.includes('i'),
      multiLine: jsFlags.includes('m'),
      dotAll: jsFlags.includes('s'),
      maxSteps: MAX_CHECK_STEPS,
      timeout: CHECK_TIMEOUT_MS,
    });
  } catch {
    return reject(path, 'regular expression could not be checked for catastrophic backtracking');
  }
  if (!result.safe) {
    const tooComplex = result.error === 'hitMaxSteps' || result.error === 'timedOut';
    reject(
      path,
      `regular expression ${tooComplex ? 'is too complex to check for' : 'can run into'} ` +
        'catastrophic backtracking (overlapping repeats such as (a|a)*, (a+)+ or .*x.*); ' +
        'a regex matches anywhere already, so drop a leading or trailing .* and anchor with ^ ' +
        'and $ where you can',
    );
  }
  if (mustConsume && (re.test('') || /\\[bB]|\(\?<?[=!]/.test(source))) {
    reject(
      path,
      '$regexFindAll needs a pattern that cannot match an empty string (no lookarounds or \\b)',
    );
  }
  return { pattern: source, options: jsFlags };
}

/** A search pattern without an unanchored `.*` (or `.*?`) at either end, which matches nothing more. */
function withoutOpenEnds(pattern: string): string {
  let p = pattern;
  for (;;) {
    const next = p.replace(/^\.\*\??/, '').replace(/(?<!\\)\.\*\??$/, '');
    if (next === p || next === '') return p;
    p = next;
  }
}

/** PCRE's extended mode: unescaped whitespace and `#` comments outside a character class are not part of the pattern. */
function withoutExtendedSyntax(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += pattern.slice(i, i + 2);
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
    } else if (/\s/.test(ch)) {
      continue;
    } else if (ch === '#') {
      const end = pattern.indexOf('\n', i);
      i = end === -1 ? pattern.length : end;
    } else {
      if (ch === '[') inClass = true;
      out += ch;
    }
  }
  return out;
}
