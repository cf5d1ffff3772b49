/**
 * A small parser for the "relaxed JSON" that models and people write in mongosh:
 * unquoted keys, single-quoted strings, trailing commas, comments, and the
 * shell's date and number helpers. It is a parser, never an evaluator: the text
 * can only ever become plain data, and any call other than the helpers below is
 * a parse error.
 *
 * Dates become EJSON `{ $date: "<ISO>" }` so the parsed value stays printable
 * JSON; the guard turns them into Date objects for the engine. `new Date()`
 * (now) becomes `"$$NOW"`, the variable MongoDB evaluates to the time the query
 * runs; the guard refuses it where a query would compare it as text. A regular
 * expression literal `/re/flags` becomes `{ $regex: "re", $options: "flags" }`.
 */

export class RelaxedJsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'RelaxedJsonError';
  }
}

/** Deeper nesting is an attack, not a query; refuse before the stack does. */
const MAX_NESTING = 64;

const DATE_HELPERS = new Set(['ISODate', 'Date']);
const NUMBER_HELPERS = new Set([
  'NumberInt',
  'NumberLong',
  'NumberDecimal',
  'Int32',
  'Long',
  'Double',
]);

export class RelaxedJsonParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** Parse exactly one value that runs to the end of the text. */
  static parse(text: string): unknown {
    const parser = new RelaxedJsonParser(text);
    const value = parser.value(0);
    parser.skipSpace();
    if (!parser.atEnd()) parser.fail('unexpected text after the value');
    return value;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  offset(): number {
    return this.pos;
  }

  fail(message: string): never {
    throw new RelaxedJsonError(message, this.pos);
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  /** Consume `ch` (after whitespace) or fail. */
  expect(ch: string): void {
    this.skipSpace();
    if (this.peek() !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }

  /** Consume `ch` (after whitespace) when it is next. */
  accept(ch: string): boolean {
    this.skipSpace();
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  skipSpace(): void {
    for (;;) {
      const ch = this.peek();
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\uFEFF') {
        this.pos++;
      } else if (this.text.startsWith('//', this.pos)) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end === -1 ? this.text.length : end + 1;
      } else if (this.text.startsWith('/*', this.pos)) {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end === -1) this.fail('unterminated comment');
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  value(depth: number): unknown {
    if (depth > MAX_NESTING) this.fail(`nesting deeper than ${MAX_NESTING}`);
    this.skipSpace();
    const ch = this.peek();
    if (ch === '{') return this.object(depth);
    if (ch === '[') return this.array(depth);
    if (ch === '"' || ch === "'") return this.string();
    if (ch === '/') return this.regexLiteral();
    if (ch === '-' || ch === '+' || ch === '.' || (ch >= '0' && ch <= '9')) return this.number();
    if (isIdentStart(ch)) return this.word(depth);
    return this.fail(ch === '' ? 'unexpected end of text' : `unexpected '${ch}'`);
  }

  identifier(): string {
    this.skipSpace();
    const start = this.pos;
    while (isIdentPart(this.peek())) this.pos++;
    if (start === this.pos) this.fail('expected a name');
    return this.text.slice(start, this.pos);
  }

  private object(depth: number): Record<string, unknown> {
    this.pos++;
    // A null-prototype object: a "__proto__" key stays a plain own key (the
    // guard then refuses it) instead of re-pointing the prototype here.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (;;) {
      if (this.accept('}')) return out;
      this.skipSpace();
      const q = this.peek();
      const key = q === '"' || q === "'" ? this.string() : this.identifier();
      if (Object.prototype.hasOwnProperty.call(out, key)) this.fail(`duplicate key '${key}'`);
      this.expect(':');
      out[key] = this.value(depth + 1);
      if (!this.accept(',')) {
        this.expect('}');
        return out;
      }
    }
  }

  private array(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    for (;;) {
      if (this.accept(']')) return out;
      out.push(this.value(depth + 1));
      if (!this.accept(',')) {
        this.expect(']');
        return out;
      }
    }
  }

  string(): string {
    const quote = this.peek();
    this.pos++;
    let out = '';
    for (;;) {
      const ch = this.peek();
      if (ch === '') this.fail('unterminated string');
      this.pos++;
      if (ch === quote) return out;
      if (ch === '\n') this.fail('newline in string');
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = this.peek();
      this.pos++;
      switch (esc) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case '0':
          out += '\0';
          break;
        case 'u':
          out += this.hexChar(4);
          break;
        case 'x':
          out += this.hexChar(2);
          break;
        case '':
          this.fail('unterminated string');
          break;
        default:
          out += esc; // \" \' \\ \/ and any other char stand for themselves
      }
    }
  }

  /**
   * `/pattern/flags`, as mongosh reads it. The pattern is kept as written (the
   * guard checks it); flags are any letters, and the guard accepts only i, m, s, x.
   */
  private regexLiteral(): Record<string, string> {
    const start = this.pos;
    this.pos++;
    let inClass = false;
    for (;;) {
      const ch = this.peek();
      if (ch === '' || ch === '\n') this.fail('unterminated regular expression');
      if (ch === '\\') {
        this.pos += 2;
        continue;
      }
      this.pos++;
      if (ch === '[') inClass = true;
      else if (ch === ']') inClass = false;
      else if (ch === '/' && !inClass) break;
    }
    const pattern = this.text.slice(start + 1, this.pos - 1);
    const flagsStart = this.pos;
    while (/^[a-z]$/.test(this.peek())) this.pos++;
    const flags = this.text.slice(flagsStart, this.pos);
    const out = Object.create(null) as Record<string, string>;
    out.$regex = pattern;
    if (flags !== '') out.$options = flags;
    return out;
  }

  private hexChar(len: number): string {
    const hex = this.text.slice(this.pos, this.pos + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail('bad escape');
    this.pos += len;
    return String.fromCharCode(parseInt(hex, 16));
  }

  private number(): number {
    const match = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    if (!match) this.fail('bad number');
    this.pos += match[0].length;
    const n = Number(match[0]);
    if (!Number.isFinite(n)) this.fail('number out of range');
    return n;
  }

  /** true/false/null, or one of the shell helpers; never an arbitrary call. */
  private word(depth: number): unknown {
    const start = this.pos;
    let name = this.identifier();
    if (name === 'true') return true;
    if (name === 'false') return false;
    if (name === 'null') return null;
    if (name === 'new') name = this.identifier();
    if (!DATE_HELPERS.has(name) && !NUMBER_HELPERS.has(name)) {
      this.pos = start;
      this.fail(`'${name}' is not allowed (only ISODate, new Date and Number helpers)`);
    }
    this.expect('(');
    const arg = this.accept(')') ? undefined : this.helperArgument(depth);
    if (DATE_HELPERS.has(name)) {
      if (arg === undefined) return '$$NOW';
      if (typeof arg !== 'string' && typeof arg !== 'number')
        this.fail(`${name} needs a date string or epoch ms (or nothing, for now: "$$NOW")`);
      const date = new Date(arg);
      if (Number.isNaN(date.getTime())) this.fail(`${name}: invalid date`);
      return { $date: date.toISOString() };
    }
    const n = typeof arg === 'string' ? Number(arg) : arg;
    if (typeof n !== 'number' || !Number.isFinite(n)) this.fail(`${name} needs a number`);
    return n;
  }

  private helperArgument(depth: number): unknown {
    const arg = this.value(depth + 1);
    this.expect(')');
    return arg;
  }
}

function isIdentStart(ch: string): boolean {
  return /^[A-Za-z_$]$/.test(ch);
}

function isIdentPart(ch: string): boolean {
  // Dots let unquoted dotted paths through (`{ items.quantity: 1 }`), as the shell would not,
  // but a model writes them and they are unambiguous here.
  return /^[A-Za-z0-9_$.]$/.test(ch);
}
