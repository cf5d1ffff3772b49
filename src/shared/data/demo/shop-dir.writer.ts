import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { COLLECTIONS, type ShopDocuments } from '../documents.js';

/** Lines per write: large enough to be fast, small enough not to build a 100 MB string. */
const CHUNK_LINES = 2000;

/**
 * Writes the canonical import format (DESIGN.md): `<collection>.ndjson`, one
 * document per line. Dates become ISO 8601 strings through Date#toJSON.
 */
export async function writeShopDir(docs: ShopDocuments, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const collection of COLLECTIONS) {
    await writeNdjson(join(dir, `${collection}.ndjson`), docs[collection]);
  }
}

async function writeNdjson(path: string, rows: readonly object[]): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const closed = once(out, 'close');
  // A write error also rejects `closed`; mark it handled here, it is rethrown below.
  closed.catch(() => undefined);
  try {
    for (let i = 0; i < rows.length; i += CHUNK_LINES) {
      let chunk = '';
      const stop = Math.min(rows.length, i + CHUNK_LINES);
      for (let j = i; j < stop; j++) chunk += `${JSON.stringify(rows[j])}\n`;
      // Respect backpressure so a 200,000-order shop does not sit in memory twice.
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
  }
  await closed;
}
