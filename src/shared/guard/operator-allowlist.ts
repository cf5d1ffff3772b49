/**
 * What the pipeline guard lets through. These are allowlists on purpose: an
 * operator MongoDB adds next year (or one we forgot) is refused until someone
 * reads its documentation and adds it here, instead of slipping past a denylist.
 *
 * Every entry is read-only and is supported by both MongoDB 7 and mingo 7 (the
 * embedded engine), unless a comment says otherwise.
 */

/** Collections a pipeline may start from or join to. */
export const JOINABLE_COLLECTIONS: ReadonlySet<string> = new Set(['order', 'product', 'customer']);

/**
 * Read-only stages. `$redact` is allowed: it only prunes fields of documents the
 * pipeline already reads (after the shop match), with no side effects.
 */
export const ALLOWED_STAGES: ReadonlySet<string> = new Set([
  '$match',
  '$project',
  '$addFields',
  '$set',
  '$unset',
  '$group',
  '$sort',
  '$limit',
  '$skip',
  '$unwind',
  '$lookup',
  '$graphLookup',
  '$count',
  '$facet',
  '$bucket',
  '$bucketAuto',
  '$sortByCount',
  '$replaceRoot',
  '$replaceWith',
  '$setWindowFields',
  '$densify',
  '$fill',
  '$sample',
  '$redact',
]);

/** Stages MongoDB refuses inside `$facet`; refused here too so both engines agree. */
export const STAGES_NOT_IN_FACET: ReadonlySet<string> = new Set(['$facet']);

/** Operators usable in aggregation expressions ($project, $addFields, $expr, ...). */
export const EXPRESSION_OPERATORS: ReadonlySet<string> = new Set([
  // arithmetic
  '$abs',
  '$add',
  '$ceil',
  '$divide',
  '$exp',
  '$floor',
  '$ln',
  '$log',
  '$log10',
  '$mod',
  '$multiply',
  '$pow',
  '$round',
  '$sqrt',
  '$subtract',
  '$trunc',
  // trigonometry
  '$sin',
  '$cos',
  '$tan',
  '$asin',
  '$acos',
  '$atan',
  '$atan2',
  '$asinh',
  '$acosh',
  '$atanh',
  '$sinh',
  '$cosh',
  '$tanh',
  '$degreesToRadians',
  '$radiansToDegrees',
  // comparison
  '$cmp',
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  // boolean
  '$and',
  '$or',
  '$not',
  // array
  '$arrayElemAt',
  '$concatArrays',
  '$filter',
  '$first',
  '$firstN',
  '$in',
  '$indexOfArray',
  '$isArray',
  '$last',
  '$lastN',
  '$map',
  '$maxN',
  '$minN',
  '$objectToArray',
  '$range',
  '$reduce',
  '$reverseArray',
  '$size',
  '$slice',
  '$sortArray',
  '$zip',
  // string
  '$concat',
  '$indexOfBytes',
  '$ltrim',
  '$regexFind',
  '$regexFindAll',
  '$regexMatch',
  '$replaceAll',
  '$replaceOne',
  '$rtrim',
  '$split',
  '$strLenBytes',
  '$strLenCP',
  '$strcasecmp',
  '$substr',
  '$substrBytes',
  '$substrCP',
  '$toLower',
  '$toUpper',
  '$trim',
  // date
  '$dateAdd',
  '$dateDiff',
  '$dateFromParts',
  '$dateFromString',
  '$dateSubtract',
  '$dateToParts',
  '$dateToString',
  '$dateTrunc',
  '$dayOfMonth',
  '$dayOfWeek',
  '$dayOfYear',
  '$hour',
  '$isoDayOfWeek',
  '$isoWeek',
  '$isoWeekYear',
  '$millisecond',
  '$minute',
  '$month',
  '$second',
  '$week',
  '$year',
  // conditional
  '$cond',
  '$ifNull',
  '$switch',
  // type
  '$convert',
  '$isNumber',
  '$toBool',
  '$toDate',
  '$toDecimal',
  '$toDouble',
  '$toInt',
  '$toLong',
  '$toString',
  '$type',
  // set
  '$allElementsTrue',
  '$anyElementTrue',
  '$setDifference',
  '$setEquals',
  '$setIntersection',
  '$setIsSubset',
  '$setUnion',
  // object and misc. $setField and $unsetField are left out: they write computed
  // field names, and nothing over orders, products and customers needs them.
  '$mergeObjects',
  '$getField',
  '$literal',
  '$let',
  '$rand',
  // accumulators that MongoDB also evaluates as expressions over an array argument
  '$sum',
  '$avg',
  '$min',
  '$max',
  '$stdDevPop',
  '$stdDevSamp',
  '$median',
  '$percentile',
]);

/** Accumulators of `$group`, `$bucket`, `$bucketAuto`. */
export const ACCUMULATORS: ReadonlySet<string> = new Set([
  '$addToSet',
  '$avg',
  '$bottom',
  '$bottomN',
  '$count',
  '$first',
  '$firstN',
  '$last',
  '$lastN',
  '$max',
  '$maxN',
  '$median',
  '$mergeObjects',
  '$min',
  '$minN',
  '$percentile',
  '$push',
  '$stdDevPop',
  '$stdDevSamp',
  '$sum',
  '$top',
  '$topN',
]);

/** Operators of `$setWindowFields` output fields: the accumulators plus these. */
export const WINDOW_OPERATORS: ReadonlySet<string> = new Set([
  ...ACCUMULATORS,
  '$covariancePop',
  '$covarianceSamp',
  '$denseRank',
  '$derivative',
  '$documentNumber',
  '$expMovingAvg',
  '$integral',
  '$linearFill',
  '$locf',
  '$rank',
  '$shift',
]);

/** Field-level query operators of `$match` (`{ field: { $op: ... } }`). */
export const FIELD_QUERY_OPERATORS: ReadonlySet<string> = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$type',
  '$regex',
  '$options',
  '$not',
  '$elemMatch',
  '$size',
  '$all',
  '$mod',
]);

/** Top-level query operators of `$match` (`{ $op: ... }`). */
export const LOGICAL_QUERY_OPERATORS: ReadonlySet<string> = new Set([
  '$and',
  '$or',
  '$nor',
  '$expr',
]);

/**
 * System variables an expression may read. MongoDB also has `$$USER_ROLES`,
 * `$$CLUSTER_TIME` and `$$SEARCH_META`, which expose server state and are refused.
 */
export const SYSTEM_VARIABLES: ReadonlySet<string> = new Set([
  'ROOT',
  'CURRENT',
  'REMOVE',
  'NOW',
  'DESCEND',
  'PRUNE',
  'KEEP',
]);

/**
 * Specific reasons for well-known dangerous operators, so the model (which sees
 * the reason on its retry) learns why rather than just "unknown operator".
 */
export const FORBIDDEN_OPERATOR_REASONS: ReadonlyMap<string, string> = new Map([
  ['$where', 'runs JavaScript'],
  ['$function', 'runs JavaScript'],
  ['$accumulator', 'runs JavaScript'],
  ['$code', 'is JavaScript code'],
  ['$out', 'writes to a collection'],
  ['$merge', 'writes to a collection'],
  ['$unionWith', 'reads outside the shop scope'],
  ['$currentOp', 'reads server state'],
  ['$collStats', 'reads server state'],
  ['$indexStats', 'reads server state'],
  ['$listSessions', 'reads server state'],
  ['$listLocalSessions', 'reads server state'],
  ['$planCacheStats', 'reads server state'],
  ['$listSearchIndexes', 'reads server state'],
  ['$listSampledQueries', 'reads server state'],
  ['$querySettings', 'reads server state'],
  ['$shardedDataDistribution', 'reads server state'],
  ['$changeStream', 'reads server state'],
  ['$changeStreamSplitLargeEvent', 'reads server state'],
  ['$documents', 'injects documents outside the shop scope'],
  ['$search', 'needs a search index and reads outside the shop scope'],
  ['$searchMeta', 'needs a search index and reads outside the shop scope'],
  ['$vectorSearch', 'needs a search index and reads outside the shop scope'],
  ['$geoNear', 'needs a geo index'],
  ['$text', 'needs a text index'],
  ['$jsonSchema', 'is not supported'],
  ['$meta', 'is not supported'],
  // A constant object is written directly, so this only ever makes keys from
  // computed values, which no check can see before they run: in the embedded
  // engine a key such as "__proto__" re-points the new object's prototype.
  ['$arrayToObject', 'makes field names from computed values; write the object directly'],
]);
