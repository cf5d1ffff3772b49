/** Tier 3: embeddings, vector store, shop indexing, insight analysis and answers. */
export { createEmbedder, type Embedder, type EmbedderConfig } from './embedder.js';
export {
  VectorStore,
  VECTOR_KINDS,
  SHARED_SHOP_ID,
  collectionNameFor,
  vectorId,
  type VectorKind,
  type VectorDoc,
  type VectorHit,
  type VectorQueryOptions,
  type VectorStoreOptions,
} from './vector-store.js';
export {
  indexShop,
  indexAnswer,
  forgetAnswer,
  indexSeedExamples,
  findExamples,
  type IndexDeps,
  type IndexShopOptions,
  type AnsweredQuestion,
  type FoundExample,
} from './shop-indexer.js';
// The shared seed set of verified examples is Tier 2's (src/shared/llm/seed-examples.ts).
export { SEED_EXAMPLES } from '../llm/seed-examples.js';
export {
  analyzeChange,
  analyzeAnomalies,
  analyzeTrends,
  analyzeTopMovers,
  fitTrend,
  INSIGHT_METRICS,
  ANOMALY_Z,
  type InsightMetric,
  type ChangeAnalysis,
  type Anomaly,
  type TrendFit,
  type Mover,
} from './insight-analysis.js';
export {
  decomposeAdditive,
  decomposeRatio,
  topDrivers,
  type Driver,
  type DriverDimension,
} from './decomposition.js';
export { ols, robustZScores, median, mad, twoSidedTPValue, type OlsFit } from './statistics.js';
export {
  classifyInsight,
  type InsightIntent,
  type InsightRequestShape,
} from './insight-classifier.js';
export {
  resolveInsightPeriods,
  resolveTrendWindow,
  type Period,
  type PeriodPair,
} from './insight-period.resolver.js';
export {
  buildNarrativePrompt,
  checkNarrativeNumbers,
  deterministicNarrative,
  type InsightFacts,
  type ContextSnippet,
} from './insight-narrative.js';
export { answerInsight, type InsightDeps, type InsightRequest } from './insight-answer.js';
