import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPipelineCommand } from '../../../src/cli/commands/check-pipeline.command.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'check-pipeline-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(content: string | null, ...extra: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const args: string[] = [];
  if (content !== null) {
    const file = path.join(dir, `p-${Math.random().toString(36).slice(2)}.txt`);
    await writeFile(file, content);
    args.push(file);
  }
  const code = await checkPipelineCommand([...args, ...extra], {
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
  });
  return { code, out: lines.join('\n'), err: errors.join('\n') };
}

describe('check-pipeline', () => {
  it('accepts a JSON pipeline', async () => {
    expect(await run('{"collection":"order","pipeline":[{"$count":"n"}]}')).toMatchObject({
      code: 0,
      out: 'accepted',
    });
  });

  it('accepts a mongosh line', async () => {
    expect(await run("db.product.aggregate([{ $sortByCount: '$category' }])")).toMatchObject({
      code: 0,
      out: 'accepted',
    });
  });

  it('rejects with the reason', async () => {
    const r = await run('db.order.aggregate([{ $match: { $where: "1" } }])');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^rejected: \$where is not allowed: it runs JavaScript \(at pipeline\[0\]\.\$match\.\$where\)$/,
    );
  });

  it('scopes to --shop, default 1', async () => {
    const text = '{"collection":"order","pipeline":[{"$match":{"shop_id":3}}]}';
    expect((await run(text)).code).toBe(1);
    expect((await run(text, '--shop', '3')).code).toBe(0);
  });

  it('prints the rewritten pipeline with --show', async () => {
    const r = await run('{"collection":"order","pipeline":[]}', '--shop', '4', '--show');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.split('\n').slice(1).join('\n'))).toEqual({
      collection: 'order',
      pipeline: [{ $match: { shop_id: 4 } }, { $limit: 1000 }],
    });
  });

  it('rejects text it cannot parse', async () => {
    const r = await run('db.order.aggregate([{ $match: { a: eval("x") } }])');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^rejected: cannot parse/);
  });

  it('reports usage errors with exit code 2', async () => {
    expect((await run(null)).code).toBe(2);
    expect((await run('{}', '--shop', 'x')).code).toBe(2);
    expect(
      await checkPipelineCommand([path.join(dir, 'missing.json')], {
        out: () => {},
        err: () => {},
      }),
    ).toBe(2);
  });
});
