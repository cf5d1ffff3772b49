import type { PipelineStage } from '../data/data-store.js';
import {
  ACCUMULATORS,
  ALLOWED_STAGES,
  JOINABLE_COLLECTIONS,
  STAGES_NOT_IN_FACET,
  WINDOW_OPERATORS,
} from './operator-allowlist.js';
import {
  checkExpression,
  checkLiteral,
  checkVariables,
  refuseOperator,
} from './expression-check.js';
import { checkQuery, SHOP_REFS, type QueryScope } from './query-check.js';
import { at, isPlainObject, reject } from './guard-rejection.js';
import { LOCAL_FIELD_VARIABLE, scopedLookup, scopedSearchMatch } from './shop-scope.js';
import { checkDensify } from './densify-check.js';
import { named } from './named-arguments.js';
import { prototypeSegment } from './prototype-names.js';
import { hasJoinCondition } from './lookup-join.js';

/**
 * Joins are where a small pipeline turns into a large amount of work (n × m
 * documents, and more per nesting level, synchronously in the embedded
 * engine); no question over orders, products and customers needs more than this.
 */
const MAX_LOOKUPS = 3;
const MAX_LOOKUP_NESTING = 2;

export interface StageContext extends QueryScope {
  maxLimit: number;
  /** $lookup and $graphLookup stages seen so far in the whole pipeline (shared, counted up). */
  lookups: { count: number };
  /** How many $lookup sub-pipelines enclose this one. */
  lookupDepth: number;
}

export function topStageContext(shopId: number, maxLimit: number): StageContext {
  return { shopId, maxLimit, shopVariables: new Set(), lookups: { count: 0 }, lookupDepth: 0 };
}

/** Where a pipeline runs: MongoDB refuses some stages in $facet, and only output rows get the final cap. */
export type PipelineKind = 'top' | 'lookup' | 'facet';

export function checkStages(
  stages: unknown,
  path: string,
  ctx: StageContext,
  kind: PipelineKind,
): PipelineStage[] {
  if (!Array.isArray(stages)) reject(path, 'a pipeline must be an array of stages');
  const out = stages.map((stage, i) => checkStage(stage, at(path, i), ctx, kind));
  // A $facet branch's rows are output rows (one document holds them all), so
  // they get the same cap as the pipeline's end; a $lookup's rows feed later
  // stages, and truncating them would silently change answers.
  if (kind === 'facet' && !out.at(-1)?.$limit) out.push({ $limit: ctx.maxLimit });
  return out;
}

function checkStage(
  stage: unknown,
  path: string,
  ctx: StageContext,
  kind: PipelineKind,
): PipelineStage {
  if (!isPlainObject(stage)) reject(path, 'a stage must be an object');
  const keys = Object.keys(stage);
  if (keys.length !== 1) reject(path, `a stage must have exactly one key, found ${keys.length}`);
  const name = keys[0]!;
  const argPath = at(path, name);
  if (!ALLOWED_STAGES.has(name)) refuseOperator(name, argPath, 'stage');
  if (kind === 'facet' && STAGES_NOT_IN_FACET.has(name))
    reject(argPath, `${name} is not allowed inside $facet`);
  const arg = stage[name];
  switch (name) {
    case '$match':
      return { $match: checkQuery(arg, argPath, ctx) };
    case '$project':
      return { $project: checkProjection(arg, argPath) };
    case '$addFields':
    case '$set':
      return { [name]: checkFieldMap(arg, argPath) };
    case '$unset':
      return { $unset: checkFieldNames(arg, argPath) };
    case '$group':
      return { $group: checkGroup(arg, argPath) };
    case '$sort':
      return { $sort: checkSortSpec(arg, argPath) };
    case '$limit':
      return { $limit: Math.min(positiveInt(arg, argPath), ctx.maxLimit) };
    case '$skip':
      return { $skip: positiveInt(arg, argPath, 0) };
    case '$sample': {
      // The embedded engine draws (with replacement) every document asked for,
      // and a later $limit does not stop it.
      const sizePath = at(argPath, 'size');
      const size = positiveInt(named(arg, argPath, ['size'], ['size']).size, sizePath);
      if (size > ctx.maxLimit) reject(sizePath, `$sample size may be at most ${ctx.maxLimit}`);
      return { $sample: { size } };
    }
    case '$count':
      return { $count: fieldName(arg, argPath) };
    case '$unwind':
      return { $unwind: checkUnwind(arg, argPath) };
    case '$lookup':
      return checkLookup(arg, argPath, ctx);
    case '$graphLookup':
      return { $graphLookup: checkGraphLookup(arg, argPath, ctx) };
    case '$facet':
      return { $facet: checkFacet(arg, argPath, ctx) };
    case '$bucket':
      return { $bucket: checkBucket(arg, argPath) };
    case '$bucketAuto':
      return { $bucketAuto: checkBucketAuto(arg, argPath) };
    case '$replaceRoot':
      return {
        $replaceRoot: {
          newRoot: checkExpression(
            named(arg, argPath, ['newRoot'], ['newRoot']).newRoot,
            at(argPath, 'newRoot'),
          ),
        },
      };
    case '$sortByCount':
    case '$replaceWith':
    case '$redact':
      return { [name]: checkExpression(arg, argPath) };
    case '$setWindowFields':
      return { $setWindowFields: checkWindowFields(arg, argPath) };
    case '$densify':
      return { $densify: checkDensify(arg, argPath) };
    case '$fill':
      return { $fill: checkFill(arg, argPath) };
    default:
      // Unreachable while ALLOWED_STAGES and this switch agree; refuse rather than pass through.
      return reject(argPath, `stage ${name} has no checker`);
  }
}

export function positiveInt(v: unknown, path: string, min = 1): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    reject(path, min === 0 ? 'expected a non-negative integer' : 'expected a positive integer');
  }
  return v;
}

/** A field name to write or join on: not an operator, not empty, not a JavaScript built-in. */
export function fieldName(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '' || v.startsWith('$'))
    reject(path, 'expected a field name (not starting with $)');
  const proto = prototypeSegment(v);
  if (proto !== undefined)
    reject(
      path,
      `'${v}' is not allowed as a field name ('${proto}' is a JavaScript prototype member)`,
    );
  return v;
}

function checkFieldNames(v: unknown, path: string): string | string[] {
  if (Array.isArray(v)) return v.map((f, i) => fieldName(f, at(path, i)));
  return fieldName(v, path);
}

/** `{ field: expression }` of $addFields/$set and $project's computed fields. */
function checkFieldMap(arg: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(arg) || Object.keys(arg).length === 0)
    reject(path, 'expected a non-empty object of fields');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(arg)) {
    fieldName(key, at(path, key));
    out[key] = checkExpression(value, at(path, key));
  }
  return out;
}

/** Inclusions (1/true), exclusions (0/false) and computed fields all read as expressions. */
function checkProjection(arg: unknown, path: string): Record<string, unknown> {
  return checkFieldMap(arg, path);
}

export function checkSortSpec(arg: unknown, path: string): Record<string, 1 | -1> {
  if (!isPlainObject(arg) || Object.keys(arg).length === 0)
    reject(path, 'expected a non-empty sort object');
  const out: Record<string, 1 | -1> = {};
  for (const [key, dir] of Object.entries(arg)) {
    fieldName(key, at(path, key));
    if (dir !== 1 && dir !== -1) reject(at(path, key), 'sort direction must be 1 or -1');
    out[key] = dir;
  }
  return out;
}

/** `{ name: { $accumulator: expression } }` of $group, $bucket and $bucketAuto outputs. */
function checkAccumulators(
  arg: Record<string, unknown>,
  path: string,
  skip: string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(arg)) {
    if (skip.includes(key)) continue;
    const keyPath = at(path, key);
    fieldName(key, keyPath);
    if (!isPlainObject(value) || Object.keys(value).length !== 1)
      reject(keyPath, 'expected { <accumulator>: <expression> }');
    const op = Object.keys(value)[0]!;
    if (!ACCUMULATORS.has(op)) refuseOperator(op, at(keyPath, op), 'accumulator');
    out[key] = { [op]: checkExpression(value[op], at(keyPath, op)) };
  }
  return out;
}

function checkGroup(arg: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(arg) || !('_id' in arg)) reject(path, '$group needs an _id');
  return {
    _id: checkExpression(arg._id, at(path, '_id')),
    ...checkAccumulators(arg, path, ['_id']),
  };
}

function checkUnwind(arg: unknown, path: string): unknown {
  if (typeof arg === 'string') return fieldPath(arg, path);
  const u = named(arg, path, ['path', 'includeArrayIndex', 'preserveNullAndEmptyArrays'], ['path']);
  const out: Record<string, unknown> = { path: fieldPath(u.path, at(path, 'path')) };
  if (u.includeArrayIndex !== undefined)
    out.includeArrayIndex = fieldName(u.includeArrayIndex, at(path, 'includeArrayIndex'));
  if (u.preserveNullAndEmptyArrays !== undefined) {
    if (typeof u.preserveNullAndEmptyArrays !== 'boolean')
      reject(at(path, 'preserveNullAndEmptyArrays'), 'expected true or false');
    out.preserveNullAndEmptyArrays = u.preserveNullAndEmptyArrays;
  }
  return out;
}

function fieldPath(v: unknown, path: string): string {
  if (typeof v !== 'string' || !/^\$[^$]/.test(v))
    reject(path, "expected a field path such as '$items'");
  return checkExpression(v, path) as string;
}

function joinable(v: unknown, path: string, stage: string): string {
  if (typeof v !== 'string' || !JOINABLE_COLLECTIONS.has(v)) {
    reject(
      path,
      `${stage} may only read from order, product or customer, not ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function countLookup(path: string, ctx: StageContext): void {
  if (++ctx.lookups.count > MAX_LOOKUPS)
    reject(path, `at most ${MAX_LOOKUPS} $lookup/$graphLookup stages per pipeline`);
}

function checkLookup(arg: unknown, path: string, ctx: StageContext): PipelineStage {
  countLookup(path, ctx);
  if (ctx.lookupDepth >= MAX_LOOKUP_NESTING)
    reject(path, `$lookup may be nested at most ${MAX_LOOKUP_NESTING} deep`);
  const l = named(
    arg,
    path,
    ['from', 'localField', 'foreignField', 'let', 'pipeline', 'as'],
    ['from', 'as'],
  );
  const from = joinable(l.from, at(path, 'from'), '$lookup');
  const as = fieldName(l.as, at(path, 'as'));
  const hasFields = l.localField !== undefined || l.foreignField !== undefined;
  if (hasFields && (l.localField === undefined || l.foreignField === undefined)) {
    reject(path, '$lookup needs both localField and foreignField, or neither');
  }
  if (!hasFields && l.pipeline === undefined)
    reject(path, '$lookup needs localField/foreignField or a pipeline');
  const fields = hasFields
    ? {
        localField: joinField(l.localField, at(path, 'localField')),
        foreignField: joinField(l.foreignField, at(path, 'foreignField')),
      }
    : {};
  let vars: Record<string, unknown> | undefined;
  if (l.let !== undefined) {
    if (!isPlainObject(l.let)) reject(at(path, 'let'), 'let must be an object');
    // The field form's rewrite binds this name; a pipeline-form lookup may carry it (a guarded pipeline guarded again).
    if (hasFields && LOCAL_FIELD_VARIABLE in l.let)
      reject(at(path, 'let'), `variable name ${LOCAL_FIELD_VARIABLE} is reserved`);
    vars = checkVariables(l.let, at(path, 'let'));
  }
  const shopVariables = new Set([...ctx.shopVariables].filter((v) => !(v in (vars ?? {}))));
  for (const [name, value] of Object.entries(vars ?? {}))
    if (typeof value === 'string' && SHOP_REFS.has(value)) shopVariables.add(name);
  const pipeline =
    l.pipeline === undefined
      ? []
      : checkStages(
          l.pipeline,
          at(path, 'pipeline'),
          { ...ctx, shopVariables, lookupDepth: ctx.lookupDepth + 1 },
          'lookup',
        );
  // Without a join every local document gets every joined one: n × m work for
  // one stage, and more per nesting level. The field form always joins.
  if (!hasFields && !hasJoinCondition(vars ?? {}, pipeline)) {
    reject(
      at(path, 'pipeline'),
      '$lookup needs a join: localField/foreignField, or a $match at the start of its pipeline ' +
        'comparing a field with a let variable bound to a local field (other than shop_id), ' +
        'e.g. { $expr: { $eq: ["$customer_id", "$$cid"] } }',
    );
  }
  return scopedLookup(ctx.shopId, {
    from,
    as,
    ...fields,
    ...(vars ? { let: vars } : {}),
    pipeline,
  });
}

/** Joining on shop_id pairs every document with every other one of the shop. */
function joinField(v: unknown, path: string): string {
  const name = fieldName(v, path);
  if (name === 'shop_id')
    reject(path, 'a join on shop_id pairs every document with every other: join on an id');
  return name;
}

function checkGraphLookup(arg: unknown, path: string, ctx: StageContext): Record<string, unknown> {
  countLookup(path, ctx);
  const g = named(
    arg,
    path,
    [
      'from',
      'startWith',
      'connectFromField',
      'connectToField',
      'as',
      'maxDepth',
      'depthField',
      'restrictSearchWithMatch',
    ],
    ['from', 'startWith', 'connectFromField', 'connectToField', 'as'],
  );
  const out: Record<string, unknown> = {
    from: joinable(g.from, at(path, 'from'), '$graphLookup'),
    startWith: checkExpression(g.startWith, at(path, 'startWith')),
    connectFromField: fieldName(g.connectFromField, at(path, 'connectFromField')),
    connectToField: fieldName(g.connectToField, at(path, 'connectToField')),
    as: fieldName(g.as, at(path, 'as')),
  };
  if (g.maxDepth !== undefined) {
    // Each level re-reads the joined collection; ten is far beyond any question over this data model.
    if (positiveInt(g.maxDepth, at(path, 'maxDepth'), 0) > 10)
      reject(at(path, 'maxDepth'), 'maxDepth may be at most 10');
    out.maxDepth = g.maxDepth;
  }
  if (g.depthField !== undefined) out.depthField = fieldName(g.depthField, at(path, 'depthField'));
  const restrict =
    g.restrictSearchWithMatch === undefined
      ? undefined
      : checkQuery(g.restrictSearchWithMatch, at(path, 'restrictSearchWithMatch'), ctx);
  out.restrictSearchWithMatch = scopedSearchMatch(ctx.shopId, restrict);
  return out;
}

function checkFacet(arg: unknown, path: string, ctx: StageContext): Record<string, unknown> {
  if (!isPlainObject(arg) || Object.keys(arg).length === 0)
    reject(path, '$facet needs at least one branch');
  const out: Record<string, unknown> = {};
  for (const [name, branch] of Object.entries(arg)) {
    fieldName(name, at(path, name));
    out[name] = checkStages(branch, at(path, name), ctx, 'facet');
  }
  return out;
}

function checkBucket(arg: unknown, path: string): Record<string, unknown> {
  const b = named(
    arg,
    path,
    ['groupBy', 'boundaries', 'default', 'output'],
    ['groupBy', 'boundaries'],
  );
  if (!Array.isArray(b.boundaries) || b.boundaries.length < 2 || b.boundaries.length > 1000) {
    reject(at(path, 'boundaries'), 'boundaries must be an array of 2 to 1000 values');
  }
  const out: Record<string, unknown> = {
    groupBy: checkExpression(b.groupBy, at(path, 'groupBy')),
    boundaries: checkLiteral(b.boundaries, at(path, 'boundaries')),
  };
  if (b.default !== undefined) out.default = checkLiteral(b.default, at(path, 'default'));
  if (b.output !== undefined) out.output = checkOutput(b.output, at(path, 'output'));
  return out;
}

function checkBucketAuto(arg: unknown, path: string): Record<string, unknown> {
  const b = named(
    arg,
    path,
    ['groupBy', 'buckets', 'output', 'granularity'],
    ['groupBy', 'buckets'],
  );
  if (positiveInt(b.buckets, at(path, 'buckets')) > 1000)
    reject(at(path, 'buckets'), 'at most 1000 buckets');
  const out: Record<string, unknown> = {
    groupBy: checkExpression(b.groupBy, at(path, 'groupBy')),
    buckets: b.buckets,
  };
  if (b.output !== undefined) out.output = checkOutput(b.output, at(path, 'output'));
  if (b.granularity !== undefined) {
    if (typeof b.granularity !== 'string' || !/^[A-Za-z0-9-]+$/.test(b.granularity))
      reject(at(path, 'granularity'), 'bad granularity');
    out.granularity = b.granularity;
  }
  return out;
}

function checkOutput(arg: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(arg)) reject(path, 'output must be an object');
  return checkAccumulators(arg, path);
}

function checkWindowFields(arg: unknown, path: string): Record<string, unknown> {
  const w = named(arg, path, ['partitionBy', 'sortBy', 'output'], ['output']);
  const out: Record<string, unknown> = {};
  if (w.partitionBy !== undefined)
    out.partitionBy = checkExpression(w.partitionBy, at(path, 'partitionBy'));
  if (w.sortBy !== undefined) out.sortBy = checkSortSpec(w.sortBy, at(path, 'sortBy'));
  if (!isPlainObject(w.output) || Object.keys(w.output).length === 0)
    reject(at(path, 'output'), 'output must be a non-empty object');
  const output: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(w.output)) {
    const fieldPath = at(at(path, 'output'), field);
    fieldName(field, fieldPath);
    if (!isPlainObject(spec)) reject(fieldPath, 'expected { <window operator>: ..., window? }');
    const ops = Object.keys(spec).filter((k) => k !== 'window');
    if (ops.length !== 1) reject(fieldPath, 'expected exactly one window operator');
    const op = ops[0]!;
    if (!WINDOW_OPERATORS.has(op)) refuseOperator(op, at(fieldPath, op), 'window');
    const entry: Record<string, unknown> = { [op]: checkExpression(spec[op], at(fieldPath, op)) };
    if (spec.window !== undefined) entry.window = checkWindow(spec.window, at(fieldPath, 'window'));
    output[field] = entry;
  }
  out.output = output;
  return out;
}

function checkWindow(arg: unknown, path: string): Record<string, unknown> {
  const w = named(arg, path, ['documents', 'range', 'unit']);
  const out: Record<string, unknown> = {};
  for (const key of ['documents', 'range'] as const) {
    const bounds = w[key];
    if (bounds === undefined) continue;
    const ok =
      Array.isArray(bounds) &&
      bounds.length === 2 &&
      bounds.every(
        (b) =>
          b === 'unbounded' || b === 'current' || (typeof b === 'number' && Number.isFinite(b)),
      );
    if (!ok)
      reject(at(path, key), `${key} must be [lower, upper] of numbers, "unbounded" or "current"`);
    out[key] = [...(bounds as unknown[])];
  }
  if (w.unit !== undefined) {
    if (typeof w.unit !== 'string' || !/^[a-z]+$/.test(w.unit))
      reject(at(path, 'unit'), 'bad unit');
    out.unit = w.unit;
  }
  return out;
}

function checkFill(arg: unknown, path: string): Record<string, unknown> {
  const f = named(arg, path, ['partitionBy', 'partitionByFields', 'sortBy', 'output'], ['output']);
  const out: Record<string, unknown> = {};
  if (f.partitionBy !== undefined)
    out.partitionBy = checkExpression(f.partitionBy, at(path, 'partitionBy'));
  if (f.partitionByFields !== undefined) {
    if (!Array.isArray(f.partitionByFields))
      reject(at(path, 'partitionByFields'), 'expected an array of field names');
    out.partitionByFields = checkFieldNames(f.partitionByFields, at(path, 'partitionByFields'));
  }
  if (f.sortBy !== undefined) out.sortBy = checkSortSpec(f.sortBy, at(path, 'sortBy'));
  if (!isPlainObject(f.output) || Object.keys(f.output).length === 0)
    reject(at(path, 'output'), 'output must be a non-empty object');
  const output: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(f.output)) {
    const fieldPath = at(at(path, 'output'), field);
    fieldName(field, fieldPath);
    const s = named(spec, fieldPath, ['value', 'method']);
    if ((s.value === undefined) === (s.method === undefined))
      reject(fieldPath, 'expected { value } or { method }');
    if (s.method !== undefined) {
      if (s.method !== 'linear' && s.method !== 'locf')
        reject(at(fieldPath, 'method'), 'method must be "linear" or "locf"');
      output[field] = { method: s.method };
    } else {
      output[field] = { value: checkExpression(s.value, at(fieldPath, 'value')) };
    }
  }
  out.output = output;
  return out;
}
