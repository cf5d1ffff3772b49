import { z } from 'zod';

/** One line of an eval set (the format of test/fixtures/northwind/eval.jsonl). */
export const evalCaseSchema = z.object({
  id: z.string().optional(),
  question: z.string(),
  shop_id: z.number().int().positive(),
  as_of: z.string().optional(),
  timezone: z.string().optional(),
  expect: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('scalar'),
      value: z.number(),
      tol: z.number().default(0.005),
      previous: z.number().optional(),
      change_pct: z.number().optional(),
    }),
    z.object({
      kind: z.literal('table'),
      labels: z.array(z.string()),
      values: z.array(z.number()),
      ordered: z.boolean().default(true),
      tol: z.number().default(0.005),
    }),
    z.object({
      kind: z.literal('series'),
      values: z.array(z.number()),
      tol: z.number().default(0.005),
    }),
  ]),
});
export type EvalCase = z.infer<typeof evalCaseSchema>;

/** Relative closeness, with an absolute floor so 0 matches 0. */
export function close(actual: unknown, expected: number, tol: number): boolean {
  return (
    typeof actual === 'number' &&
    Math.abs(actual - expected) <= Math.max(tol * Math.abs(expected), 1e-6)
  );
}

/** Compare a job's `data` with the expectation; null when it passes, else why not. */
export function compareAnswer(data: unknown, expected: EvalCase['expect']): string | null {
  const d = data as Record<string, unknown> | undefined;
  if (!d || d.kind !== expected.kind) return `expected a ${expected.kind}, got ${String(d?.kind)}`;
  switch (expected.kind) {
    case 'scalar': {
      if (!close(d.value, expected.value, expected.tol))
        return `value ${String(d.value)} ≠ ${expected.value}`;
      const cmp = d.comparison as { previous?: number; change_pct?: number | null } | undefined;
      if (
        expected.previous !== undefined &&
        !close(cmp?.previous, expected.previous, expected.tol)
      ) {
        return `previous ${String(cmp?.previous)} ≠ ${expected.previous}`;
      }
      if (
        expected.change_pct !== undefined &&
        Math.abs((cmp?.change_pct ?? NaN) - expected.change_pct) > 0.15
      ) {
        return `change ${String(cmp?.change_pct)}% ≠ ${expected.change_pct}%`;
      }
      return null;
    }
    case 'table': {
      const rows = (d.rows as unknown[][] | undefined) ?? [];
      const got = rows.map((r) => ({
        label: String(r[0]),
        value: r.slice(1).find((v) => typeof v === 'number'),
      }));
      if (got.length !== expected.labels.length)
        return `${got.length} rows, expected ${expected.labels.length}`;
      const head = expected.ordered ? got.slice(0, expected.labels.length) : got;
      for (let i = 0; i < expected.labels.length; i++) {
        const label = expected.labels[i]!;
        const row = expected.ordered ? head[i] : head.find((r) => r.label === label);
        if (!row || row.label !== label)
          return `row ${i + 1}: expected ${label}, got ${row?.label ?? 'nothing'}`;
        if (!close(row.value, expected.values[i]!, expected.tol))
          return `${label}: ${String(row.value)} ≠ ${expected.values[i]}`;
      }
      return null;
    }
    case 'series': {
      const points = (d.points as { value: number }[] | undefined) ?? [];
      if (points.length !== expected.values.length)
        return `${points.length} points, expected ${expected.values.length}`;
      for (let i = 0; i < points.length; i++) {
        if (!close(points[i]!.value, expected.values[i]!, expected.tol))
          return `point ${i + 1}: ${points[i]!.value} ≠ ${expected.values[i]}`;
      }
      return null;
    }
  }
}
