import type { DataStore } from './data-store.js';
import { EmbeddedStore } from './embedded/embedded-store.js';
import { MongoStore } from './mongo/mongo-store.js';

/** MongoDB when MONGODB_URL is set, else the embedded store under DATA_DIR. */
export async function createDataStore(cfg: {
  MONGODB_URL?: string | undefined;
  MONGODB_DB: string;
  DATA_DIR: string;
  QUERY_SANDBOX_MEMORY_MB: number;
  QUERY_SANDBOX_PROCESSES: number;
}): Promise<DataStore> {
  if (cfg.MONGODB_URL) {
    const store = new MongoStore({ url: cfg.MONGODB_URL, dbName: cfg.MONGODB_DB });
    await store.connect();
    return store;
  }
  return new EmbeddedStore({
    dataDir: cfg.DATA_DIR,
    sandbox: { memoryMb: cfg.QUERY_SANDBOX_MEMORY_MB, processes: cfg.QUERY_SANDBOX_PROCESSES },
  });
}
