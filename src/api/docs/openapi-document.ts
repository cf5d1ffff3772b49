import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { CATALOGUE } from '../../shared/analytics/index.js';
import { registry } from './openapi-registry.js';
import './core-paths.js';
import './tenancy-paths.js';

const METRIC_DEFINITIONS = `
## Metric definitions (every tier uses these)
- **order count**: orders created in the period, any status unless a status is asked for
- **revenue** (sales, turnover): sum of grand_total over orders not cancelled or refunded
- **average order value**: revenue / number of those orders
- **units sold**: sum of item quantities over those orders
- **new customers**: customers whose first order falls in the period
- **product revenue**: quantity × unit_price of that product's lines; breakdowns by product or
  category use line amounts, breakdowns by order attributes use grand_total
- a customer is labelled by company when it has one, else by full name
- time ranges resolve against \`as_of\` (default now) in the shop's time zone; "last week" is the
  previous Monday–Sunday, "last month" the previous calendar month, "last N days" the N whole days
  before as_of's day; "this week/month/quarter/year" and "year to date" run up to as_of
- shares, rates and changes are in percent: 26.8 means 26.8%
`;

let cached: object | undefined;

/** The OpenAPI 3.1 document, generated from the request schemas and the Tier 1 catalogue. */
export function openApiDocument(): object {
  cached ??= new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'shop-insights',
      version: '0.1.0',
      description:
        "Ask plain-English questions about a shop's sales data and get exact answers back.\n" +
        METRIC_DEFINITIONS +
        '\n## Tier 1 catalogue\n```json\n' +
        JSON.stringify(CATALOGUE, null, 1) +
        '\n```\n',
    },
  });
  return cached;
}
