import { createReadStream, statSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { COLLECTIONS, type ShopDocuments } from '../documents.js';

/**
 * On-disk layout of the embedded store:
 *   <dataDir>/shops/<shopId>/current.json      { version }
 *   <dataDir>/shops/<shopId>/v<version>/<collection>.ndjson
 * A new version is written in full, then `current.json` is swapped by rename,
 * which is atomic on POSIX: readers in other processes see the old version or
 * the new one, never half of each.
 */
export interface ShopPointer {
  version: number;
  /** Changes whenever current.json is rewritten; cheap staleness check. */
  stamp: string;
}

export function shopDir(dataDir: string, shopId: number): string {
  return path.join(dataDir, 'shops', String(shopId));
}

export async function readPointer(dataDir: string, shopId: number): Promise<ShopPointer | null> {
  const file = path.join(shopDir(dataDir, shopId), 'current.json');
  try {
    const [st, text] = await Promise.all([stat(file), readFile(file, 'utf8')]);
    const { version } = JSON.parse(text) as { version: number };
    return { version, stamp: `${st.mtimeMs}:${version}` };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function pointerStamp(dataDir: string, shopId: number): string | null {
  const file = path.join(shopDir(dataDir, shopId), 'current.json');
  try {
    // Checked on every query and several times per question. A synchronous
    // stat of one local file takes microseconds; the async one costs a trip
    // through libuv's thread pool, a good part of a millisecond on a busy
    // process. The pointer is swapped by rename, so the inode changes with it.
    const st = statSync(file, { throwIfNoEntry: false });
    return st ? `${st.ino}:${st.mtimeMs}` : null;
  } catch {
    return null;
  }
}

export async function writeShopVersion(
  dataDir: string,
  shopId: number,
  version: number,
  docs: ShopDocuments,
): Promise<void> {
  const dir = shopDir(dataDir, shopId);
  const versionDir = path.join(dir, `v${version}`);
  await rm(versionDir, { recursive: true, force: true });
  await mkdir(versionDir, { recursive: true });
  for (const collection of COLLECTIONS) {
    const out = createWriteStream(path.join(versionDir, `${collection}.ndjson`));
    for (const doc of docs[collection]) {
      if (!out.write(`${JSON.stringify(doc)}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  }
  const tmp = path.join(dir, `current.json.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify({ version }));
  await rename(tmp, path.join(dir, 'current.json'));
  // Keep the previous version for readers still loading it; drop older ones.
  for (const entry of await readdir(dir)) {
    const m = /^v(\d+)$/.exec(entry);
    if (m && Number(m[1]) < version - 1) {
      await rm(path.join(dir, entry), { recursive: true, force: true });
    }
  }
}

const DATE_FIELDS = new Set(['created_at']);

export async function readShopVersion(
  dataDir: string,
  shopId: number,
  version: number,
): Promise<ShopDocuments> {
  const versionDir = path.join(shopDir(dataDir, shopId), `v${version}`);
  const docs: ShopDocuments = { order: [], product: [], customer: [] };
  for (const collection of COLLECTIONS) {
    const lines = createInterface({
      input: createReadStream(path.join(versionDir, `${collection}.ndjson`), 'utf8'),
      crlfDelay: Infinity,
    });
    const target = docs[collection] as unknown[];
    for await (const line of lines) {
      if (line === '') continue;
      // Files were written by this store from validated documents: only the
      // date fields need reviving, which keeps loading 200k orders fast.
      target.push(JSON.parse(line, (k, v) => (DATE_FIELDS.has(k) ? new Date(v as string) : v)));
    }
  }
  return docs;
}

export async function listShopIds(dataDir: string): Promise<number[]> {
  try {
    const entries = await readdir(path.join(dataDir, 'shops'));
    return entries.filter((e) => /^\d+$/.test(e)).map(Number).sort((a, b) => a - b);
  } catch {
    return [];
  }
}
