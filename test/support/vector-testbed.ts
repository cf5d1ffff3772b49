import { createEmbedder, VectorStore, type Embedder } from '../../src/shared/rag/index.js';
import { startChroma, type ChromaServer } from './chroma-server.js';

/** A real Chroma server, the offline USE-lite embedder and one collection of this test file's own. */
export interface VectorTestbed {
  chroma: ChromaServer;
  embedder: Embedder;
  vectors: VectorStore;
  /** Drop the collection and stop the server. */
  stop(): Promise<void>;
}

export async function startVectorTestbed(collectionPrefix: string): Promise<VectorTestbed> {
  const [chroma, embedder] = await Promise.all([
    startChroma(),
    createEmbedder({ provider: 'use-lite' }),
  ]);
  const vectors = new VectorStore({
    url: chroma.url,
    model: embedder.model,
    dimensions: embedder.dimensions,
    collectionPrefix,
  });
  return {
    chroma,
    embedder,
    vectors,
    async stop() {
      await vectors.drop();
      await chroma.stop();
    },
  };
}
