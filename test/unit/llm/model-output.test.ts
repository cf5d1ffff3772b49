import { describe, expect, it } from 'vitest';
import {
  MODEL_OUTPUT_JSON_SCHEMA,
  parseModelOutput,
} from '../../../src/shared/llm/model-output.js';

describe('parseModelOutput', () => {
  it('reads plain JSON', () => {
    expect(parseModelOutput('{"collection":"order","pipeline":[{"$count":"n"}]}')).toEqual({
      ok: true,
      value: { collection: 'order', pipeline: [{ $count: 'n' }] },
    });
  });

  it('refuses a reply longer than any pipeline needs, and reads an unclosed fence as text', () => {
    const long = `{"collection":"order","pipeline":[{"$match":{"status":"${'x'.repeat(30_000)}"}}]}`;
    expect(parseModelOutput(long)).toMatchObject({ ok: false });
    // An opening fence and a long run of whitespace never closed: read plainly, at once.
    const unclosed = parseModelOutput(
      `\`\`\`${'\t'.repeat(19_000)}{"collection":"order","pipeline":[]}`,
    );
    expect(unclosed).toMatchObject({ ok: true, value: { collection: 'order' } });
  });

  it('reads JSON in a code fence or after a sentence', () => {
    const fenced = parseModelOutput(
      'Here you go:\n```json\n{"collection":"order","pipeline":[]}\n```',
    );
    expect(fenced).toMatchObject({ ok: true, value: { collection: 'order' } });
    const prefixed = parseModelOutput('Sure. {"collection":"product","pipeline":[{"$count":"n"}]}');
    expect(prefixed).toMatchObject({ ok: true, value: { collection: 'product' } });
  });

  it('reads a mongosh line with ISODate as EJSON dates', () => {
    const r = parseModelOutput(
      'db.order.aggregate([{ $match: { created_at: { $gte: ISODate("2026-01-01") } } }])',
    );
    expect(r).toMatchObject({
      ok: true,
      value: {
        collection: 'order',
        pipeline: [{ $match: { created_at: { $gte: { $date: '2026-01-01T00:00:00.000Z' } } } }],
      },
    });
  });

  it('reports truncated or empty output with a reason the model can act on', () => {
    expect(parseModelOutput('{"collection": "order", "pipeline": [ {"$count": ')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not valid JSON/),
    });
    expect(parseModelOutput('   ')).toEqual({ ok: false, reason: 'the answer was empty' });
    expect(parseModelOutput('[1,2]')).toMatchObject({ ok: false });
  });

  it('never evaluates code', () => {
    expect(
      parseModelOutput('db.order.aggregate([{ $match: { x: process.exit(1) } }])'),
    ).toMatchObject({ ok: false });
  });

  it('sends a JSON schema requiring collection and pipeline', () => {
    expect(MODEL_OUTPUT_JSON_SCHEMA).toMatchObject({
      type: 'object',
      required: ['collection', 'pipeline'],
      properties: {
        collection: { enum: ['order', 'product', 'customer'] },
        pipeline: { type: 'array' },
      },
    });
  });
});
