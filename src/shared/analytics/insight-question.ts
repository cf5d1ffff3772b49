/**
 * "Why / trend / what stands out" questions go to the rag tier, which explains
 * changes; Tier 1 only states numbers. Deliberately cheap: the API runs it on
 * every question before queueing.
 */
const INSIGHT = new RegExp(
  [
    '\\bwhy\\b',
    '\\bhow come\\b',
    '\\btrend(s|ing)?\\b',
    '\\bunusual\\b',
    '\\banomal',
    '\\bstand(s)? out\\b',
    '\\bexplain',
    '\\binsights?\\b',
    '\\bdrivers?\\b',
    '\\bdriving\\b',
    '\\bdrove\\b',
    '\\bwhat happened\\b',
    '\\bwhat changed\\b',
    '\\bwhat caused\\b',
    '\\breason(s)?\\b',
    '\\bspike[sd]?\\b',
    '\\bdip(s|ped)?\\b',
    '\\b(drop|dropped|decline|declined|fell|fall|falling|plunge|plunged|surge|surged|jump|jumped)\\b',
    '\\bhow (are|is|were|was) (we|sales|revenue|business|the shop|things) (doing|performing|going)\\b',
    '\\bsurpris',
    '\\boutliers?\\b',
    '\\bnoteworthy\\b',
    '\\binteresting\\b',
    '\\bpatterns?\\b',
    '\\bseasonal',
    '\\bforecast',
    '\\bpredict',
    '\\bsummar(y|ise|ize)\\b',
    '\\bhighlights?\\b',
    '\\banything (odd|strange|weird|notable|unusual)\\b',
  ].join('|'),
  'i',
);

export function isInsightQuestion(question: string): boolean {
  return INSIGHT.test(question.normalize('NFKD'));
}

/**
 * Questions about what has not happened yet ("forecast next month", "what will
 * sales be in Q1"). Every tier reports recorded sales up to as_of; answering
 * these with a past period's numbers would answer another question.
 */
const FUTURE = new RegExp(
  [
    '\\bforecast',
    '\\bpredict',
    '\\bprojections?\\b',
    '\\bprojected\\b',
    '\\bwill (we|i|sales|revenue|orders|the shop|it) (be|make|sell|get|have|reach|hit|do)\\b',
    // Word order of a statement or of a non-native question: "how much we will sell".
    '\\b(we|i|sales|revenue|orders|the shop|it|they) will (be|make|sell|get|have|reach|hit|do)\\b',
    // "what will Q1 2026 revenue be"
    '\\bwhat will [\\w\\s]{0,30}\\b(revenue|sales|orders|turnover|income|units|demand|takings) be\\b',
    '\\bgoing to (be|make|sell|get|have|reach|hit)\\b',
    '\\bexpected (sales|revenue|orders|demand)\\b',
    '\\bnext (week|month|quarter|year|\\d+ (days|weeks|months))\\b',
  ].join('|'),
  'i',
);

export function asksAboutTheFuture(question: string): boolean {
  return FUTURE.test(question.normalize('NFKD'));
}
