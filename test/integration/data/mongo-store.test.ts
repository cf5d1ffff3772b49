import { describe, it } from 'vitest';
import { MongoStore } from '../../../src/shared/data/mongo/mongo-store.js';
import { dataStoreContract } from './data-store.contract.js';

const url = process.env.MONGODB_URL;

if (url) {
  dataStoreContract('mongodb', async () => {
    const store = new MongoStore({ url, dbName: `si_test_${process.pid}` });
    await store.connect();
    return store;
  });
} else {
  describe('DataStore contract: mongodb', () => {
    it.skip('skipped: set MONGODB_URL (a replica set, e.g. docker compose up mongo) to run the MongoDB contract tests', () => {});
  });
  console.warn('[mongo-store.test] MONGODB_URL is not set: the MongoDB contract tests are skipped');
}
