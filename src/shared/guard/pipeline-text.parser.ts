import { RelaxedJsonError, RelaxedJsonParser } from './relaxed-json.parser.js';

export { RelaxedJsonError as PipelineParseError };

export interface ParsedPipelineText {
  collection: string;
  pipeline: unknown;
}

/**
 * Read a pipeline as a model or a person writes it: JSON `{ collection, pipeline }`
 * or a mongosh line `db.<collection>.aggregate([...])` (also
 * `db.getCollection("<collection>").aggregate([...])`, either optionally followed by
 * `.toArray()`), in relaxed JSON.
 * Nothing is evaluated. Throws `PipelineParseError` on text it cannot read; the
 * result is unchecked data for `guardPipeline`.
 */
export function parsePipelineText(text: string): ParsedPipelineText {
  const trimmed = text.trim();
  if (trimmed.startsWith('db.') || trimmed.startsWith('db[')) return parseShellLine(text);
  const value = RelaxedJsonParser.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RelaxedJsonError('expected an object { collection, pipeline }', 0);
  }
  const { collection, pipeline } = value as Record<string, unknown>;
  if (typeof collection !== 'string')
    throw new RelaxedJsonError('"collection" must be a string', 0);
  if (pipeline === undefined) throw new RelaxedJsonError('"pipeline" is missing', 0);
  return { collection, pipeline };
}

function parseShellLine(text: string): ParsedPipelineText {
  const p = new RelaxedJsonParser(text);
  // The identifier reader takes dots, so `db.order.aggregate` arrives in one piece.
  const word = p.identifier();
  let collection: string;
  if (word === 'db' || word === 'db.getCollection') {
    // db["order"].aggregate(...) or db.getCollection("order").aggregate(...)
    const [open, close] = word === 'db' ? ['[', ']'] : ['(', ')'];
    p.expect(open);
    collection = quoted(p);
    p.expect(close);
    if (p.identifier() !== '.aggregate') p.fail("expected '.aggregate'");
  } else {
    const parts = word.split('.');
    if (parts.length < 3 || parts[0] !== 'db' || parts.at(-1) !== 'aggregate') {
      p.fail('expected db.<collection>.aggregate(...)');
    }
    // Dotted names (db.system.users.aggregate) are kept whole for the guard to refuse.
    collection = parts.slice(1, -1).join('.');
  }
  p.expect('(');
  const pipeline = p.value(0);
  if (p.accept(',')) p.fail('aggregate options are not accepted');
  p.expect(')');
  // mongosh answers with a cursor; models often add the call that drains it.
  p.skipSpace();
  if (p.peek() === '.') {
    if (p.identifier() !== '.toArray') p.fail("only '.toArray()' may follow aggregate(...)");
    p.expect('(');
    p.expect(')');
  }
  p.accept(';');
  p.skipSpace();
  if (!p.atEnd()) p.fail('one pipeline per text');
  return { collection, pipeline };
}

function quoted(p: RelaxedJsonParser): string {
  p.skipSpace();
  const q = p.peek();
  if (q !== '"' && q !== "'") p.fail('expected a quoted collection name');
  return p.string();
}
