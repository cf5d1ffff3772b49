import { compileExpr, FastPathUnsupported, type Expr } from './expression-compiler.js';
import { compileMatch } from './match-compiler.js';
import { compareValues, fieldValue, groupKey, isPlainObject, type Doc } from './values.js';

type Stage = (docs: Doc[]) => Doc[];

/** A collection of the shop the pipeline runs on, for `$lookup`. */
export type CollectionResolver = (name: string) => readonly Doc[];

/**
 * Compile the longest prefix of a pipeline that the fast path supports. The
 * rest (from `restFrom`) runs in mingo on the prefix's output. Without a
 * resolver, `$lookup` stays in mingo.
 */
export function compilePrefix(
  pipeline: Record<string, unknown>[],
  resolve?: CollectionResolver,
): { stages: Stage[]; restFrom: number } {
  const stages: Stage[] = [];
  for (const [i, stage] of pipeline.entries()) {
    const compiled = compileStage(stage, resolve);
    if (!compiled) return { stages, restFrom: i };
    stages.push(compiled);
  }
  return { stages, restFrom: pipeline.length };
}

export { FastPathUnsupported };

function compileStage(stage: Record<string, unknown>, resolve?: CollectionResolver): Stage | null {
  const keys = Object.keys(stage);
  if (keys.length !== 1) return null;
  const name = keys[0]!;
  const spec = stage[name];
  switch (name) {
    case '$match': {
      const p = compileMatch(spec);
      return p ? (docs) => docs.filter(p) : null;
    }
    case '$group':
      return compileGroup(spec);
    case '$unwind':
      return compileUnwind(spec);
    case '$sort':
      return compileSort(spec);
    case '$limit':
      return typeof spec === 'number' && Number.isInteger(spec) && spec > 0 ? (docs) => docs.slice(0, spec) : null;
    case '$skip':
      return typeof spec === 'number' && Number.isInteger(spec) && spec >= 0 ? (docs) => docs.slice(spec) : null;
    case '$count':
      return typeof spec === 'string' && spec !== '' && !spec.startsWith('$') && !spec.includes('.')
        ? (docs) => (docs.length === 0 ? [] : [{ [spec]: docs.length }])
        : null;
    case '$addFields':
    case '$set':
      return compileAddFields(spec);
    case '$project':
      return compileComputedProject(spec) ?? compileTopLevelProjection(spec);
    case '$lookup':
      return resolve ? compileLookup(spec, resolve) : null;
    default:
      return null;
  }
}

type Accumulator = { init: () => unknown; add: (state: unknown, doc: Doc) => unknown; done: (state: unknown) => unknown };

function compileAccumulator(spec: unknown): Accumulator | null {
  if (!isPlainObject(spec)) return null;
  const keys = Object.keys(spec);
  if (keys.length !== 1) return null;
  const op = keys[0]!;
  if (op === '$count') {
    return isPlainObject(spec.$count) && Object.keys(spec.$count).length === 0
      ? { init: () => 0, add: (s) => (s as number) + 1, done: (s) => s }
      : null;
  }
  const e: Expr | null = compileExpr(spec[op]);
  if (!e) return null;
  switch (op) {
    case '$sum':
      return {
        init: () => 0,
        add: (s, d) => {
          const v = e(d);
          if (typeof v === 'number') return (s as number) + v;
          if (Array.isArray(v)) throw new FastPathUnsupported('$sum of an array');
          return s;
        },
        done: (s) => s,
      };
    case '$avg':
      return {
        init: () => ({ sum: 0, n: 0 }),
        add: (s, d) => {
          const v = e(d);
          const st = s as { sum: number; n: number };
          if (typeof v === 'number') return { sum: st.sum + v, n: st.n + 1 };
          if (Array.isArray(v)) throw new FastPathUnsupported('$avg of an array');
          return st;
        },
        done: (s) => {
          const st = s as { sum: number; n: number };
          return st.n === 0 ? null : st.sum / st.n;
        },
      };
    case '$min':
    case '$max':
      return {
        init: () => undefined,
        add: (s, d) => {
          const v = e(d);
          if (v === null || v === undefined) return s;
          if (Array.isArray(v)) throw new FastPathUnsupported('$min/$max of an array');
          if (s === undefined) return v;
          const c = compareValues(v, s);
          return (op === '$min' ? c < 0 : c > 0) ? v : s;
        },
        done: (s) => (s === undefined ? null : s),
      };
    case '$first':
      return { init: () => ({ set: false, v: null }), add: (s, d) => ((s as { set: boolean }).set ? s : { set: true, v: e(d) ?? null }), done: (s) => (s as { v: unknown }).v };
    case '$last':
      return { init: () => null, add: (_s, d) => e(d) ?? null, done: (s) => s };
    case '$push':
      return { init: () => [], add: (s, d) => { const v = e(d); if (v !== undefined) (s as unknown[]).push(v); return s; }, done: (s) => s };
    case '$addToSet':
      return {
        init: () => new Map<string, unknown>(),
        add: (s, d) => {
          const v = e(d);
          if (v !== undefined) (s as Map<string, unknown>).set(groupKey(v), v);
          return s;
        },
        done: (s) => [...(s as Map<string, unknown>).values()],
      };
    default:
      return null;
  }
}

function compileGroup(spec: unknown): Stage | null {
  if (!isPlainObject(spec) || !('_id' in spec)) return null;
  const id = compileGroupId(spec._id);
  if (!id) return null;
  const accs: [string, Accumulator][] = [];
  for (const [field, acc] of Object.entries(spec)) {
    if (field === '_id') continue;
    if (field.includes('.') || field.startsWith('$')) return null;
    const a = compileAccumulator(acc);
    if (!a) return null;
    accs.push([field, a]);
  }
  return (docs) => {
    const groups = new Map<string, { id: unknown; states: unknown[] }>();
    for (const d of docs) {
      const key = id.key(d);
      let g = groups.get(key);
      if (!g) {
        g = { id: id.value(d), states: accs.map(([, a]) => a.init()) };
        groups.set(key, g);
      }
      for (let i = 0; i < accs.length; i++) g.states[i] = accs[i]![1].add(g.states[i], d);
    }
    return [...groups.values()].map((g) => {
      const out: Doc = { _id: g.id };
      accs.forEach(([field, a], i) => (out[field] = a.done(g.states[i])));
      return out;
    });
  };
}

type GroupId = { key: (doc: Doc) => string; value: (doc: Doc) => unknown };

/**
 * A group's `_id`: its key is computed for every document, its value only once
 * per group. A compound `_id` ({ k: ..., p: ... }, as the analytics compiler
 * writes them) is keyed field by field, so no object is built and serialised
 * per document; a missing field ('u') stays distinct from null ('n'), as the
 * object MongoDB builds omits it.
 */
function compileGroupId(spec: unknown): GroupId | null {
  const whole = compileExpr(spec);
  if (!whole) return null;
  const value = (d: Doc) => whole(d) ?? null;
  if (!isPlainObject(spec) || Object.keys(spec).some((k) => k.startsWith('$'))) {
    return { key: (d) => groupKey(value(d)), value };
  }
  const parts = Object.values(spec).map(compileExpr) as Expr[];
  return {
    key: (d) => {
      let key = '';
      for (const part of parts) {
        const v = part(d);
        // The length prefix keeps ("a|", "b") apart from ("a", "|b").
        const k = v === undefined ? 'u' : groupKey(v);
        key += `${k.length}:${k}`;
      }
      return key;
    },
    value,
  };
}

function compileUnwind(spec: unknown): Stage | null {
  let path: string;
  let preserve = false;
  if (typeof spec === 'string') path = spec;
  else if (isPlainObject(spec) && typeof spec.path === 'string' && Object.keys(spec).every((k) => k === 'path' || k === 'preserveNullAndEmptyArrays')) {
    path = spec.path;
    preserve = spec.preserveNullAndEmptyArrays === true;
  } else return null;
  if (!path.startsWith('$') || path.includes('.')) return null;
  const field = path.slice(1);
  return (docs) => {
    const out: Doc[] = [];
    for (const d of docs) {
      const v = d[field];
      if (Array.isArray(v) && v.length > 0) {
        for (const el of v) out.push(unwound(d, field, el));
      } else if (Array.isArray(v) || v === null || v === undefined) {
        if (preserve) {
          const copy = { ...flat(d) };
          if (Array.isArray(v)) delete copy[field];
          out.push(copy);
        }
      } else {
        out.push(d);
      }
    }
    return out;
  };
}

/**
 * An unwound document shares the original's fields through its prototype
 * instead of copying them (copying every order once per line dominated the
 * run time). Fast-path stages read fields by property access, which follows
 * the prototype; `materialize` flattens before documents leave the fast path.
 */
function unwound(base: Doc, field: string, value: unknown): Doc {
  const doc = Object.create(base) as Doc;
  doc[field] = value;
  return doc;
}

/**
 * Plain own-property copies of unwound documents (the only ones whose
 * prototype is another document); other documents as they are.
 */
export function materialize(docs: Doc[]): Doc[] {
  return docs.map(flat);
}

/** The document itself, or a plain copy of an unwound one with every field it shows. */
function flat(d: Doc): Doc {
  const proto = Object.getPrototypeOf(d) as object | null;
  if (proto === Object.prototype || proto === null) return d;
  const chain: object[] = [];
  for (let o: object | null = d; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) chain.unshift(o);
  return Object.assign({}, ...chain) as Doc;
}

function compileSort(spec: unknown): Stage | null {
  if (!isPlainObject(spec)) return null;
  const keys = Object.entries(spec);
  if (keys.length === 0 || keys.some(([, dir]) => dir !== 1 && dir !== -1)) return null;
  const paths = keys.map(([k, dir]) => ({ path: k.split('.'), dir: dir as number }));
  return (docs) =>
    [...docs].sort((a, b) => {
      for (const { path, dir } of paths) {
        const x = fieldValue(a, path);
        const y = fieldValue(b, path);
        if (Array.isArray(x) || Array.isArray(y)) throw new FastPathUnsupported('sort on an array');
        const c = compareValues(x, y);
        if (c !== 0) return c * dir;
      }
      return 0;
    });
}

function compileAddFields(spec: unknown): Stage | null {
  if (!isPlainObject(spec)) return null;
  const fields: [string, Expr][] = [];
  for (const [k, v] of Object.entries(spec)) {
    if (k.includes('.') || k.startsWith('$')) return null;
    // A nested object here would merge into an existing subdocument in MongoDB.
    if (isPlainObject(v) && !Object.keys(v).some((x) => x.startsWith('$'))) return null;
    const e = compileExpr(v);
    if (!e) return null;
    fields.push([k, e]);
  }
  return (docs) =>
    docs.map((d) => {
      // A spread copies own fields only: an unwound document's are inherited.
      const out: Doc = { ...flat(d) };
      for (const [k, e] of fields) {
        const v = e(d);
        if (v === undefined) delete out[k];
        else out[k] = v;
      }
      return out;
    });
}

/**
 * A `$project` that only computes fields (`{ _id: 0, key: '$_id.k', ... }`, as
 * the analytics compiler ends its pipelines). Inclusion (`field: 1`) and
 * exclusion projections keep MongoDB's field-order rules, so they stay in mingo.
 */
function compileComputedProject(spec: unknown): Stage | null {
  if (!isPlainObject(spec)) return null;
  let keepId = true;
  const fields: [string, Expr][] = [];
  for (const [k, v] of Object.entries(spec)) {
    if (k === '_id' && (v === 0 || v === false)) {
      keepId = false;
      continue;
    }
    if (k.includes('.') || k.startsWith('$')) return null;
    // Only field paths and operator expressions: a number or boolean here means
    // include/exclude, and a literal object is a nested projection.
    const computed = (typeof v === 'string' && v.startsWith('$')) || (isPlainObject(v) && Object.keys(v).length === 1 && Object.keys(v)[0]!.startsWith('$'));
    if (!computed) return null;
    const e = compileExpr(v);
    if (!e) return null;
    fields.push([k, e]);
  }
  // `{ _id: 0 }` alone excludes _id and keeps the rest: not a computed projection.
  if (fields.length === 0) return null;
  if (keepId && fields.some(([k]) => k === '_id')) keepId = false;
  return (docs) =>
    docs.map((d) => {
      const out: Doc = {};
      if (keepId && d._id !== undefined) out._id = d._id;
      for (const [k, e] of fields) {
        const v = e(d);
        if (v !== undefined) out[k] = v;
      }
      return out;
    });
}

/**
 * An inclusion (`{ _id: 0, name: 1 }`) or exclusion (`{ customer: 0 }`)
 * projection of top-level fields. Kept fields stay in the document's order,
 * as MongoDB keeps them; dotted paths and mixed forms stay in mingo.
 */
function compileTopLevelProjection(spec: unknown): Stage | null {
  if (!isPlainObject(spec)) return null;
  const entries = Object.entries(spec);
  if (entries.length === 0) return null;
  if (entries.some(([k, v]) => k.includes('.') || k.startsWith('$') || ![0, 1, true, false].includes(v as number | boolean))) return null;
  const flag = (v: unknown) => v === 1 || v === true;
  const others = entries.filter(([k]) => k !== '_id');
  const including = others.length > 0 ? flag(others[0]![1]) : false;
  if (others.some(([, v]) => flag(v) !== including)) return null;
  const named = new Set(others.map(([k]) => k));
  const idEntry = entries.find(([k]) => k === '_id');
  const keepId = idEntry ? flag(idEntry[1]) : true;
  if (!including && idEntry && keepId) return null; // `{ _id: 1, x: 0 }` is mixed
  return (docs) =>
    materialize(docs).map((d) => {
      const out: Doc = {};
      for (const k of Object.keys(d)) {
        const wanted = k === '_id' ? keepId : including ? named.has(k) : !named.has(k);
        if (wanted) out[k] = d[k];
      }
      return out;
    });
}

/**
 * `$lookup` that joins on one field's equality, the form the analytics compiler
 * writes for customer names:
 *
 *   { from, let: { v: <expr> }, pipeline: [{ $match: { shop_id, $expr: { $eq: ['$f', '$$v'] } } }, ...], as }
 *
 * as a hash join. mingo runs the sub-pipeline over the whole joined collection
 * once per document: "revenue by customer" on a large shop took minutes. The
 * index is built once per collection array (a loaded shop version never
 * changes) and field. Only string, number and null keys are joined here: `$eq`
 * on missing, dates, arrays or NaN reruns the pipeline in mingo.
 */
function compileLookup(spec: unknown, resolve: CollectionResolver): Stage | null {
  if (!isPlainObject(spec)) return null;
  const { from, as, pipeline } = spec;
  const lets = spec.let;
  if (Object.keys(spec).some((k) => !['from', 'as', 'let', 'pipeline'].includes(k))) return null;
  if (typeof from !== 'string' || typeof as !== 'string' || as === '' || as.includes('.') || as.startsWith('$')) return null;
  if (!isPlainObject(lets) || Object.keys(lets).length !== 1 || !Array.isArray(pipeline)) return null;
  const [variable, letExpr] = Object.entries(lets)[0]!;
  const local = compileExpr(letExpr);
  const first = pipeline[0] as unknown;
  if (!local || !isPlainObject(first) || Object.keys(first).length !== 1 || !isPlainObject(first.$match)) return null;
  const { $expr: joinExpr, ...plain } = first.$match;
  const field = joinField(joinExpr, variable);
  const keep = compileMatch(plain);
  if (!field || !keep) return null;
  const rest = pipeline.slice(1) as Record<string, unknown>[];
  const sub = compilePrefix(rest);
  if (sub.restFrom !== rest.length) return null;
  return (docs) => {
    const index = fieldIndex(resolve(from), field);
    return docs.map((d) => {
      const v = local(d);
      let candidates: readonly Doc[];
      if (typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v))) {
        candidates = index.get(scalarKey(v)) ?? [];
      } else if (v === null) {
        // A guest order's null customer id: $eq joins only an explicit null.
        candidates = resolve(from).filter((j) => j[field] === null);
      } else {
        throw new FastPathUnsupported('$lookup on a value other than a string or number');
      }
      let joined = candidates.filter(keep);
      for (const stage of sub.stages) joined = stage(joined);
      // Stored documents must not leave (or be changed by later mingo stages).
      return unwound(d, as, materialize(joined).map((j) => ({ ...j })));
    });
  };
}

/** `f` of `{ $eq: ['$f', '$$variable'] }` (either order), f a top-level field. */
function joinField(expr: unknown, variable: string): string | null {
  if (!isPlainObject(expr) || Object.keys(expr).length !== 1 || !Array.isArray(expr.$eq) || expr.$eq.length !== 2) return null;
  const [a, b] = expr.$eq as unknown[];
  const ref = `$$${variable}`;
  const other = a === ref ? b : b === ref ? a : null;
  if (typeof other !== 'string' || !other.startsWith('$') || other.startsWith('$$')) return null;
  const f = other.slice(1);
  return f === '' || f.includes('.') ? null : f;
}

const indexes = new WeakMap<readonly Doc[], Map<string, Map<string, Doc[]>>>();

/** Documents by a top-level field's string or number value. */
function fieldIndex(docs: readonly Doc[], field: string): Map<string, Doc[]> {
  let byField = indexes.get(docs);
  if (!byField) indexes.set(docs, (byField = new Map()));
  let index = byField.get(field);
  if (!index) {
    index = new Map();
    for (const d of docs) {
      const v = d[field];
      if (!(typeof v === 'string' || typeof v === 'number')) continue;
      const k = scalarKey(v);
      const list = index.get(k);
      if (list) list.push(d);
      else index.set(k, [d]);
    }
    byField.set(field, index);
  }
  return index;
}

/** 1 and "1" are different keys, as `$eq` holds them different. */
function scalarKey(v: string | number): string {
  return typeof v === 'number' ? `#${v}` : `s${v}`;
}
