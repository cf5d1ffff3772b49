/**
 * Tier 2: the Ollama client with timeouts and a circuit breaker, the prompt,
 * verified examples (seed set, retrieval), the self-correction loop and the
 * answer format. The llm worker (src/workers/llm) puts them together.
 */
export {
  LlmClient,
  LlmCallError,
  CircuitOpenError,
  timeoutFetch,
  type LlmClientOptions,
  type ChatMessage,
} from './ollama-client.js';
export { buildPrompt, correctionMessage, type PromptInput } from './prompt-builder.js';
export { parseModelOutput, modelOutputSchema, MODEL_OUTPUT_JSON_SCHEMA } from './model-output.js';
export {
  runSelfCorrecting,
  type RoundStep,
  type SelfCorrectionOptions,
  type SelfCorrectionResult,
} from './self-correcting-query.js';
export { formatLlmAnswer } from './answer-format.js';
export { SEED_EXAMPLES, type VerifiedExample } from './seed-examples.js';
export {
  InProcessExampleRetriever,
  FallbackExampleRetriever,
  toExample,
  type ExampleRetriever,
} from './example-retriever.js';
export { VectorExampleRetriever } from './vector-example-retriever.js';
export { closestTier1Questions } from './suggestions.js';
export { EmbeddingCache, cosine, tokenOverlap } from './similarity.js';
