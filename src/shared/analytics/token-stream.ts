/**
 * The question's tokens with a record of which ones a rule has explained. Rules
 * are regular expressions over the words still unexplained; whatever is left at
 * the end (minus filler words) is what the parser "could not place".
 */
export class TokenStream {
  /** Read-only outside this class: writes go through `explain` so the view stays current. */
  readonly used: boolean[];

  constructor(readonly tokens: string[]) {
    this.used = tokens.map(() => false);
  }

  /** The last view, until a word is explained: most rules match nothing. */
  private cachedView: { text: string; starts: number[] } | null = null;

  /** Unexplained words joined by spaces; explained ones show as "#" so no phrase spans them. */
  private view(): { text: string; starts: number[] } {
    if (this.cachedView) return this.cachedView;
    const starts: number[] = [];
    let text = '';
    this.tokens.forEach((t, i) => {
      if (i > 0) text += ' ';
      starts.push(text.length);
      text += this.used[i] ? '#' : t;
    });
    this.cachedView = { text, starts };
    return this.cachedView;
  }

  /**
   * Run `body` as whole words over the unexplained text, left to right. The
   * handler returns false to leave a match unexplained (and try later words).
   * With `across`, a match may span words already explained, shown as "#"
   * ("top 3 # products" once "Beverages" is a filter).
   */
  take(
    body: string,
    handler: (m: RegExpExecArray, from: number, to: number) => boolean | void,
    { across = false }: { across?: boolean } = {},
  ): number {
    const re = wordRegex(body);
    let taken = 0;
    let pos = 0;
    for (;;) {
      const { text, starts } = this.view();
      re.lastIndex = pos;
      const m = re.exec(text);
      if (!m) break;
      const from = starts.findIndex((s) => s === m.index);
      const endChar = m.index + m[0].length;
      let to = from;
      while (to < starts.length && (starts[to] as number) < endChar) to++;
      if (from < 0 || m[0].length === 0) {
        pos = m.index + 1;
        continue;
      }
      if ((!across && m[0].includes('#')) || handler(m, from, to) === false) {
        pos = m.index + 1;
        continue;
      }
      this.explain(from, to);
      taken++;
      pos = 0;
    }
    return taken;
  }

  /**
   * Find known phrases among the unexplained words, longest first at each
   * position, left to right: what `take(alternation(phrases))` matches, without
   * building and running a regex over a shop's thousands of names.
   */
  takeKnown(
    phrases: { has(phrase: string): boolean },
    maxWords: number,
    handler: (phrase: string, from: number, to: number) => boolean | void,
  ): number {
    let taken = 0;
    for (let from = 0; from < this.tokens.length; from++) {
      for (let n = Math.min(maxWords, this.tokens.length - from); n >= 1; n--) {
        const words = this.tokens.slice(from, from + n);
        if (this.used.slice(from, from + n).some(Boolean)) continue;
        const phrase = words.join(' ');
        if (!phrases.has(phrase)) continue;
        if (handler(phrase, from, from + n) !== false) {
          this.explain(from, from + n);
          taken++;
          from += n - 1;
        }
        break;
      }
    }
    return taken;
  }

  /** Mark one token explained (a filler, or part of a phrase found another way). */
  mark(i: number): void {
    this.explain(i, i + 1);
  }

  private explain(from: number, to: number): void {
    for (let i = from; i < to; i++) this.used[i] = true;
    this.cachedView = null;
  }

  /** Words no rule explained, in order. */
  leftovers(): { index: number; word: string }[] {
    return this.tokens.flatMap((word, index) => (this.used[index] ? [] : [{ index, word }]));
  }

  /** Unexplained word at i, or '' when explained or out of range. */
  at(i: number): string {
    return i >= 0 && i < this.tokens.length && !this.used[i] ? (this.tokens[i] as string) : '';
  }
}

/**
 * Rule bodies are mostly fixed strings, so their compiled regexes are kept.
 * The bound only matters if callers ever build bodies from unbounded input.
 */
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 2_000;
function wordRegex(body: string): RegExp {
  let re = compiled.get(body);
  if (!re) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    re = new RegExp(`(?<=^| )(?:${body})(?= |$)`, 'g');
    compiled.set(body, re);
  }
  return re;
}

/** A regex alternation of phrases, longest first so "units sold" wins over "units". */
export function alternation(phrases: Iterable<string>): string {
  return [...new Set(phrases)]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|');
}
