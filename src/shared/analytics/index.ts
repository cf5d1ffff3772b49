/**
 * Tier 1: the analytics compiler. Question → StructuredQuery (parseQuestion) →
 * one shop-scoped aggregation pipeline (compileQuery) → answer (answerQuery).
 */
export { parseQuestion, type ParseContext, type ParseResult } from './question.parser.js';
export { compileQuery } from './query.compiler.js';
export { answerQuery } from './answer-query.js';
export type { FormatOptions } from './answer.formatter.js';
export { checkQuery } from './query-rules.js';
export { asksAboutTheFuture, isInsightQuestion } from './insight-question.js';
export { suggestQuestions } from './question-suggestions.js';
export { CATALOGUE, METRICS, DIMENSIONS } from './catalogue.js';
export { loadShopVocabulary, customerLabel, type ShopVocabulary } from './shop-vocabulary.js';
export {
  structuredQuerySchema,
  type StructuredQuery,
  type MetricId,
  type DimensionId,
  type QueryFilter,
  type ResolvedRange,
} from './structured-query.js';
