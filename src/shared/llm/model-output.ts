import { z } from 'zod';
import { COLLECTIONS } from '../data/documents.js';
import { parsePipelineText } from '../guard/pipeline-guard.js';

/**
 * What the model must answer with. Sent to Ollama as `format` (a JSON schema),
 * which constrains decoding on the server; the answer is still parsed and
 * checked here, since a server or model may ignore the constraint.
 */
export const modelOutputSchema = z.object({
  collection: z.enum(COLLECTIONS),
  pipeline: z.array(z.record(z.string(), z.unknown())).min(1),
});

export const MODEL_OUTPUT_JSON_SCHEMA: object = z.toJSONSchema(modelOutputSchema, {
  unrepresentable: 'any',
});

export type ParsedModelOutput =
  { ok: true; value: { collection: string; pipeline: unknown } } | { ok: false; reason: string };

/**
 * Read the model's text into `{ collection, pipeline }` without trusting it.
 * Tolerates what models add around JSON (code fences, a leading sentence) and
 * mongosh syntax (`ISODate(...)`, `db.order.aggregate([...])`) through the
 * guard's relaxed parser. The shape is the guard's to judge, not this function's.
 */
export function parseModelOutput(text: string): ParsedModelOutput {
  // A pipeline that answers a shop question fits in a few KB; a reply far
  // larger is a model gone wrong (or steered), and every later check costs
  // time on the worker's one thread.
  if (text.length > MAX_REPLY_CHARS)
    return { ok: false, reason: `the answer is longer than ${MAX_REPLY_CHARS} characters` };
  const body = unwrap(text);
  if (body === '') return { ok: false, reason: 'the answer was empty' };
  try {
    return { ok: true, value: parsePipelineText(body) };
  } catch (err) {
    return { ok: false, reason: `the answer is not valid JSON: ${(err as Error).message}` };
  }
}

/** Longest model reply read at all. */
export const MAX_REPLY_CHARS = 20_000;

function unwrap(text: string): string {
  let t = text.trim();
  // The first fenced block, found by position: a regex over an unclosed fence
  // followed by whitespace backtracks quadratically.
  const open = t.indexOf('```');
  const close = open >= 0 ? t.indexOf('```', open + 3) : -1;
  if (close > open) {
    const inner = t
      .slice(open + 3, close)
      .replace(/^(?:json|javascript|js)\b/i, '')
      .trim();
    if (inner) t = inner;
  }
  // A sentence before the object: start at the first brace or `db.`.
  if (!t.startsWith('{') && !t.startsWith('db')) {
    const start = t.search(/\{|db\./);
    if (start > 0) t = t.slice(start);
  }
  return t;
}
