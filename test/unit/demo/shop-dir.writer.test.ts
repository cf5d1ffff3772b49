import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDemoCommand } from '../../../src/cli/commands/generate-demo.command.js';
import { documentSchemas } from '../../../src/shared/data/documents.js';
import { DEMO_SHOPS, generateShop, writeShopDir } from '../../../src/shared/data/demo/index.js';
import { END } from './demo-fixtures.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'demo-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('writeShopDir', () => {
  it('writes canonical NDJSON that parses back to the same documents', async () => {
    const docs = generateShop(DEMO_SHOPS[0]!, { endDate: END, days: 20 });
    const dir = await tempDir();
    await writeShopDir(docs, dir);
    expect((await readdir(dir)).sort()).toEqual([
      'customer.ndjson',
      'order.ndjson',
      'product.ndjson',
    ]);
    for (const collection of ['order', 'product', 'customer'] as const) {
      const lines = (await readFile(join(dir, `${collection}.ndjson`), 'utf8')).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(docs[collection].length);
      const first = JSON.parse(lines[0]!) as { created_at: string };
      expect(first.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const parsed = lines.map((l) => documentSchemas[collection].parse(JSON.parse(l)));
      expect(parsed).toEqual(docs[collection]);
    }
  });
});

describe('generateDemoCommand', () => {
  it('writes one folder per requested shop', async () => {
    const out = await tempDir();
    const code = await generateDemoCommand([
      '--out',
      out,
      '--shop',
      '3',
      '--end',
      '2026-11-23',
      '--days',
      '15',
    ]);
    expect(code).toBe(0);
    expect(await readdir(out)).toEqual(['shop-3']);
    const orders = (await readFile(join(out, 'shop-3', 'order.ndjson'), 'utf8')).trim().split('\n');
    expect(orders.length).toBeGreaterThan(100);
    expect(
      (JSON.parse(orders.at(-1)!) as { created_at: string }).created_at <
        '2026-11-23T00:00:00.000Z',
    ).toBe(true);
  });

  it.each([
    [[]],
    [['--out']],
    [['--out', '/tmp/x', '--shop', '2']],
    [['--out', '/tmp/x', '--end', '2026-02-30']],
    [['--out', '/tmp/x', '--orders-per-day', '-1']],
    [['--out', '/tmp/x', '--bogus']],
  ])('refuses bad arguments %j with exit code 2', async (args) => {
    expect(await generateDemoCommand(args)).toBe(2);
  });
});
