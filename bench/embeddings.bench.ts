/**
 * Tier 3 figures: embedding throughput, indexing a 200,000-order shop, vector
 * query latency and end-to-end insight time. Real Chroma, real USE-lite, the
 * embedded store. Run: npx tsx bench/embeddings.bench.ts
 */
import { DEMO_SHOPS, generateShop } from '../src/shared/data/demo/index.js';
import { EmbeddedStore } from '../src/shared/data/embedded/embedded-store.js';
import { answerInsight, createEmbedder, indexShop, VectorStore } from '../src/shared/rag/index.js';
import { startChroma } from '../test/support/chroma-server.js';

const spec = DEMO_SHOPS[0]!;
const endDate = new Date('2026-11-20T12:00:00Z');
const ms = (t: number): number => Math.round(performance.now() - t);

const tLoad = performance.now();
const embedder = await createEmbedder({ provider: 'use-lite' });
console.log(`use-lite load: ${ms(tLoad)} ms (backend: tfjs wasm)`);

const sentences = Array.from(
  { length: 512 },
  (_, i) =>
    `Week ${i}: revenue €${(i * 137) % 90000}, ${i % 400} orders, top mover category ${i % 9}.`,
);
await embedder.embed(sentences.slice(0, 16));
const tEmb = performance.now();
await embedder.embed(sentences);
console.log(
  `embedding throughput: ${(sentences.length / ((performance.now() - tEmb) / 1000)).toFixed(1)} sentences/s (batch 64)`,
);

const tGen = performance.now();
const docs = generateShop(spec, { endDate, ordersPerDay: 274 });
console.log(
  `generated ${docs.order.length} orders, ${docs.product.length} products in ${ms(tGen)} ms`,
);
const store = new EmbeddedStore({});
await store.replaceShop(spec.shopId, docs);

const chroma = await startChroma();
try {
  const vectors = new VectorStore({
    url: chroma.url,
    model: embedder.model,
    dimensions: embedder.dimensions,
    collectionPrefix: 'bench',
  });
  const deps = { store, vectors, embedder };
  const opts = { asOf: endDate, timezone: spec.timezone, currency: spec.currency };
  const idx = await indexShop(deps, spec.shopId, opts);
  console.log(
    `indexShop (200k orders): ${idx.ms} ms for ${idx.products} products + ${idx.digests} weekly digests`,
  );
  const idx2 = await indexShop(deps, spec.shopId, opts);
  console.log(`re-index: ${idx2.ms} ms, count ${await vectors.count(spec.shopId)}`);

  const [q] = await embedder.embed(['why did revenue drop last month?']);
  const lat: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await vectors.query(spec.shopId, q!, { k: 5, kinds: ['digest', 'product'] });
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  console.log(`vector query k=5: p50 ${lat[25]!.toFixed(1)} ms, p95 ${lat[47]!.toFixed(1)} ms`);
  const tq = performance.now();
  for (let i = 0; i < 20; i++) await embedder.embed([`question ${i} about revenue`]);
  console.log(`single question embed: ${((performance.now() - tq) / 20).toFixed(1)} ms`);

  for (const question of [
    'Why did revenue drop last month?',
    'Anything unusual last month?',
    'Which country is growing?',
    'Top movers last month?',
  ]) {
    const t = performance.now();
    const res = await answerInsight(deps, { shopId: spec.shopId, question, ...opts });
    console.log(`insight "${question}": ${ms(t)} ms — ${res.answer.slice(0, 140)}`);
  }
  await vectors.drop();
} finally {
  await chroma.stop();
}
