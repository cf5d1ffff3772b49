import { DateTime } from 'luxon';
import type { CollectionName } from '../data/documents.js';
import type { ChatMessage } from './ollama-client.js';
import { ANNOTATED_SCHEMA, METRIC_RULES, OUTPUT_RULES } from './schema-notes.js';
import type { VerifiedExample } from './seed-examples.js';

export interface PromptInput {
  question: string;
  shopId: number;
  asOf: Date;
  timezone: string;
  /** A few real documents of the shop per collection (values get truncated here). */
  samples: Partial<Record<CollectionName, Record<string, unknown>[]>>;
  examples: VerifiedExample[];
  /** Why Tier 1 could not place the question, when it tried. */
  hint?: string;
}

const MAX_STRING = 40;
const MAX_ARRAY = 2;

/**
 * The first two messages of a Tier 2 conversation: a system message with the
 * annotated schema, the metric definitions and the output rules, and a user
 * message with the shop's sample documents, the reference date and time zone,
 * the retrieved examples and finally the question. The question is data: it is
 * quoted as JSON and never spliced into anything the model's output runs as.
 */
export function buildPrompt(input: PromptInput): ChatMessage[] {
  const system = [
    'You translate questions about one e-commerce shop into MongoDB aggregation pipelines.',
    ANNOTATED_SCHEMA,
    METRIC_RULES,
    OUTPUT_RULES.replace('SHOP_ID', String(input.shopId)),
  ].join('\n\n');

  const local = DateTime.fromJSDate(input.asOf, { zone: input.timezone });
  const parts: string[] = [];
  parts.push(
    `Shop id: ${input.shopId}. Reference instant: ${input.asOf.toISOString()} ` +
      `(${local.toFormat('cccc yyyy-LL-dd HH:mm')} in ${input.timezone}). ` +
      `Resolve relative dates against it in ${input.timezone}.`,
  );
  const sampleLines = Object.entries(input.samples)
    .filter(([, docs]) => docs && docs.length > 0)
    .map(
      ([collection, docs]) =>
        `${collection}: ${docs.map((doc) => JSON.stringify(truncateDoc(doc))).join('\n  ')}`,
    );
  if (sampleLines.length > 0)
    parts.push(`Sample documents of this shop (values truncated):\n${sampleLines.join('\n')}`);
  if (input.examples.length > 0) {
    parts.push(
      'Verified examples (question → pipeline), for style and the metric definitions:\n' +
        input.examples.map((e) => renderExample(e, input.shopId)).join('\n\n'),
    );
  }
  if (input.hint)
    parts.push(`Note: the rule-based parser could not place this question (${input.hint}).`);
  parts.push(`Question: ${JSON.stringify(input.question)}\nAnswer with the JSON object only.`);
  return [
    { role: 'system', content: system },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/** What the model is told after a failed round, so its next answer can fix it. */
export function correctionMessage(problem: {
  kind: 'malformed' | 'rejected' | 'run_error' | 'empty';
  reason: string;
  path?: string;
}): ChatMessage {
  const what = {
    malformed: 'Your answer could not be read as the required JSON object',
    rejected: 'The pipeline guard rejected your pipeline',
    run_error: 'Running your pipeline failed',
    empty: 'Your pipeline ran but returned no rows',
  }[problem.kind];
  const where = problem.path ? ` (at ${problem.path})` : '';
  const tail =
    problem.kind === 'empty'
      ? 'Check field names, date bounds ({"$date": ...}) and filters against the sample documents. If no rows is truly the answer, return the same pipeline.'
      : 'Write a corrected pipeline.';
  return {
    role: 'user',
    content: `${what}${where}: ${problem.reason}\n${tail} Answer with the JSON object only.`,
  };
}

function renderExample(e: VerifiedExample, shopId: number): string {
  const pipeline = withShop(e.pipeline, shopId);
  const reference = e.as_of ? ` (reference ${e.as_of}, ${e.timezone ?? 'UTC'})` : '';
  return (
    `Q${reference}: ${JSON.stringify(e.question)}\n` +
    `A: ${JSON.stringify({ collection: e.collection, pipeline })}`
  );
}

function withShop(pipeline: Record<string, unknown>[], shopId: number): Record<string, unknown>[] {
  const [first, ...rest] = pipeline;
  if (first && Object.keys(first).length === 1 && first.$match) {
    return [{ $match: { shop_id: shopId, ...first.$match } }, ...rest];
  }
  return [{ $match: { shop_id: shopId } }, ...pipeline];
}

/** Short strings, two array entries, no e-mail addresses, dates as EJSON. */
export function truncateDoc(value: unknown, key = ''): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (typeof value === 'string') {
    if (key === 'email' || /@/.test(value)) return '<email>';
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  }
  if (Array.isArray(value)) {
    const head = value.slice(0, MAX_ARRAY).map((v) => truncateDoc(v));
    return value.length > MAX_ARRAY ? [...head, `… ${value.length - MAX_ARRAY} more`] : head;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '_id')
        .map(([k, v]) => [k, truncateDoc(v, k)]),
    );
  }
  return value;
}
