import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { AppError } from '../../errors/app-error.js';
import { COLLECTIONS, documentSchemas, type CollectionName, type ShopDocuments } from '../documents.js';

export interface ImportProblem {
  file: string;
  line: number;
  message: string;
}

/** Stop collecting after this many problems: the report stays readable. */
const MAX_PROBLEMS = 50;

/**
 * Read a folder in the canonical import format (DESIGN.md) and validate every
 * line. Any bad line fails the whole read with every problem listed by file and
 * line number, so a failed import changes nothing.
 *
 * Documents of another shop are refused rather than rewritten: a file meant for
 * shop 3 imported as shop 2 is a mistake the operator should see.
 */
export async function readShopDir(dir: string, shopId: number): Promise<ShopDocuments> {
  const problems: ImportProblem[] = [];
  const docs: ShopDocuments = { order: [], product: [], customer: [] };
  let found = 0;
  for (const collection of COLLECTIONS) {
    const file = path.join(dir, `${collection}.ndjson`);
    try {
      await access(file);
    } catch {
      continue;
    }
    found += 1;
    await readFile(file, collection, shopId, docs, problems);
  }
  if (found === 0) {
    throw new AppError('IMPORT_INVALID', `no order.ndjson, product.ndjson or customer.ndjson in ${dir}`);
  }
  if (problems.length > 0) {
    const shown = problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');
    throw new AppError('IMPORT_INVALID', `import refused, ${problems.length} bad line(s):\n${shown}`, {
      details: { problems },
    });
  }
  return docs;
}

async function readFile(
  file: string,
  collection: CollectionName,
  shopId: number,
  docs: ShopDocuments,
  problems: ImportProblem[],
): Promise<void> {
  const schema = documentSchemas[collection];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const seen = new Set<string>();
  let lineNo = 0;
  const name = path.basename(file);
  for await (const raw of lines) {
    lineNo += 1;
    const text = raw.trim();
    if (text === '' || problems.length >= MAX_PROBLEMS) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      problems.push({ file: name, line: lineNo, message: 'not valid JSON' });
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || '(document)';
      problems.push({ file: name, line: lineNo, message: `${where}: ${issue?.message ?? 'invalid'}` });
      continue;
    }
    if (parsed.data.shop_id !== shopId) {
      problems.push({
        file: name,
        line: lineNo,
        message: `shop_id ${parsed.data.shop_id} does not match the target shop ${shopId}`,
      });
      continue;
    }
    const key = String(parsed.data.id);
    if (seen.has(key)) {
      problems.push({ file: name, line: lineNo, message: `duplicate id ${key}` });
      continue;
    }
    seen.add(key);
    (docs[collection] as unknown[]).push(parsed.data);
  }
}
