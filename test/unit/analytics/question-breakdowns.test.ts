import { describe, expect, it } from 'vitest';
import { parsed } from './parse-helpers.js';

const Y97 = '1997-01-01..1997-12-31';
const APRIL = '1998-04-01..1998-04-30';

/** Breakdowns, rankings and sorting: [question, expected part of the query]. */
const CASES: [string, Record<string, unknown>][] = [
  // "who" asks for a customer; the largest order is one order, so one customer.
  [
    'who placed the biggest order in 1997',
    { metric: 'largest_order', groupBy: 'customer', limit: 1, range: Y97 },
  ],
  ['which customer placed the largest order', { groupBy: 'customer', limit: 1 }],
  ['largest order by country', { groupBy: 'country', limit: null }],
  [
    'tell me who bought the most Chai',
    { metric: 'units_sold', groupBy: 'customer', limit: 1, filters: ['product=Chai'] },
  ],
  ['customers who bought Chai', { metric: 'ordering_customers', groupBy: null }],
  // "share of <whose> revenue": the share is of that revenue; a scalar share's
  // part is the other filter.
  [
    'share of Beverages revenue by country',
    { metric: 'revenue_share', groupBy: 'country', filters: ['category=Beverages'] },
  ],
  [
    'what share of German revenue came from web in 1997',
    { metric: 'revenue_share', groupBy: null, filters: ['channel=web', 'country=Germany'] },
  ],
  ['share of web orders by country', { metric: 'order_share', groupBy: 'country' }],
  [
    'what proportion of orders came from outside Germany in 1997',
    { metric: 'order_share', groupBy: null, filters: ['country!=Germany'] },
  ],
  // A verb after the noun ranks it: money, orders for "ordered".
  [
    'the customer that bought the most in 1997',
    { metric: 'revenue', groupBy: 'customer', limit: 1 },
  ],
  [
    'customers who ordered the most last year',
    { metric: 'order_count', groupBy: 'customer', limit: 10 },
  ],
  // Other languages' word order.
  [
    'the countries with more orders in 1997, the first five',
    { metric: 'order_count', groupBy: 'country', limit: 5 },
  ],
  ['the products more sold last month', { metric: 'units_sold', groupBy: 'product' }],
  [
    'the first 3 categories for money in the quarter past',
    { metric: 'revenue', groupBy: 'category', limit: 3, range: '1998-01-01..1998-03-31' },
  ],
  ['new customers by country in 1997', { metric: 'new_customers', groupBy: 'country' }],
  ['revenue split it per day last week', { groupBy: 'day' }],
  // Filters written with signs, prefixes and verbs.
  ['orders >$100', { filters: ['grand_total gt 100'] }],
  ['orders >= 100', { filters: ['grand_total gte 100'] }],
  ['non-German revenue', { filters: ['country!=Germany'] }],
  [
    'how many orders did not include any Beverages',
    { metric: 'order_count', filters: ['category!=Beverages'] },
  ],
  [
    'how many orders did Ernst Handel cancel',
    { metric: 'order_count', filters: ['customer=ERNSH', 'status=cancelled'] },
  ],
  ['phone and web orders last month', { metric: 'order_count', filters: ['channel=phone|web'] }],
  // Names between the count and the noun; the count before the noun, the ranking after.
  [
    'top three beverages products',
    { groupBy: 'product', limit: 3, filters: ['category=Beverages'] },
  ],
  [
    'the 5 best German customers in 1997',
    { groupBy: 'customer', limit: 5, filters: ['country=Germany'] },
  ],
  ['which are the 3 products most sold', { metric: 'units_sold', groupBy: 'product', limit: 3 }],
  [
    'which payment method do people use most',
    { metric: 'order_count', groupBy: 'payment_method', limit: 1 },
  ],
  ['how much did each category contribute last year', { metric: 'revenue', groupBy: 'category' }],
  ['the bigger order of april', { metric: 'largest_order', range: APRIL }],
  [
    'which product sold the less in 1997',
    { metric: 'units_sold', groupBy: 'product', limit: 1, sort: 'value asc' },
  ],
  ['wich product sold most last wek', { groupBy: 'product', range: '1998-04-27..1998-05-03' }],
  ['revenue last mont', { range: APRIL }],
  ['orders shipped to the United States in 1997', { filters: ['country=USA'] }],
  ['What percentage of web orders were cancelled this year?', { filters: ['channel=web'] }],
  ['revenue for orders placed via web', { metric: 'revenue', filters: ['channel=web'] }],
  [
    'sales excluding refunded and cancelled orders last month',
    { metric: 'revenue', filters: ['status!=refunded|cancelled'] },
  ],
  ['which products are moving the most units', { metric: 'units_sold', groupBy: 'product' }],
  // "by customers" after "placed" names who placed them: no breakdown.
  [
    'number of orders placed by customers in Germany in 1997',
    { metric: 'order_count', groupBy: null, filters: ['country=Germany'] },
  ],
  ['orders by customer', { metric: 'order_count', groupBy: 'customer' }],
  [
    'Provide a breakdown of order volume by channel for April',
    { metric: 'order_count', groupBy: 'channel', range: APRIL },
  ],
  ["can you break down last quarter's revenue by country", { groupBy: 'country' }],
  ['how many refunds did we process in april', { metric: 'refund_count', range: APRIL }],
  ['first-time customers acquired in april', { metric: 'new_customers', range: APRIL }],
  [
    'revenue by country',
    { metric: 'revenue', groupBy: 'country', limit: null, sort: 'value desc' },
  ],
  ['orders per country in 1997', { metric: 'order_count', groupBy: 'country', range: Y97 }],
  ['sales by category last month', { metric: 'revenue', groupBy: 'category', range: APRIL }],
  ['revenue broken down by channel', { groupBy: 'channel' }],
  ['revenue split by payment method', { groupBy: 'payment_method' }],
  ['orders by status', { metric: 'order_count', groupBy: 'status' }],
  // A popular product sells the most units; a popular payment method is used by the most orders.
  ['most popular product last month', { metric: 'units_sold', groupBy: 'product', limit: 1 }],
  [
    'most popular payment method last month',
    { metric: 'order_count', groupBy: 'payment_method', limit: 1 },
  ],
  ['most popular channel in 1997', { metric: 'order_count', groupBy: 'channel', range: Y97 }],
  [
    'which payment method is most used',
    { metric: 'order_count', groupBy: 'payment_method', limit: 1 },
  ],
  [
    'the least common country in 1997',
    { metric: 'order_count', groupBy: 'country', sort: 'value asc' },
  ],
  ['revenue for each product in 1997', { groupBy: 'product', range: Y97 }],
  ['revenue across all categories', { groupBy: 'category' }],
  ['units sold per product category', { metric: 'units_sold', groupBy: 'category' }],
  ['revenue per customer', { groupBy: 'customer' }],
  ['country breakdown of revenue', { groupBy: 'country', metric: 'revenue' }],
  ['average order value by channel', { metric: 'average_order_value', groupBy: 'channel' }],
  ['refund rate by country last year', { metric: 'refund_rate', groupBy: 'country', range: Y97 }],
  ['share of revenue by category', { metric: 'revenue_share', groupBy: 'category' }],
  [
    'what percentage of revenue came from Germany in 1997',
    { metric: 'revenue_share', groupBy: null, filters: ['country=Germany'] },
  ],
  ['revenue share of Beverages', { metric: 'revenue_share', filters: ['category=Beverages'] }],
  [
    'daily orders last week',
    { metric: 'order_count', groupBy: 'day', range: '1998-04-27..1998-05-03', sort: 'label asc' },
  ],
  [
    'Monthly revenue for 1997',
    { metric: 'revenue', groupBy: 'month', range: Y97, sort: 'label asc' },
  ],
  ['weekly units sold this quarter', { metric: 'units_sold', groupBy: 'week' }],
  ['quarterly revenue in 1997', { groupBy: 'quarter' }],
  ['annual revenue', { groupBy: 'year', range: null }],
  ['revenue per day last week', { groupBy: 'day' }],
  ['orders each month this year', { groupBy: 'month' }],
  ['revenue month by month in 1997', { groupBy: 'month' }],
  ['revenue over time', { groupBy: 'month', range: null }],
  ['revenue over time last month', { groupBy: 'day', range: APRIL }],
  ['revenue over time in 1997', { groupBy: 'month' }],
  ['new customers per month in 1997', { metric: 'new_customers', groupBy: 'month' }],
  [
    'Top 5 products by revenue in 1997',
    { metric: 'revenue', groupBy: 'product', limit: 5, sort: 'value desc', range: Y97 },
  ],
  ['top five products', { metric: 'revenue', groupBy: 'product', limit: 5 }],
  ['top 10 customers', { groupBy: 'customer', limit: 10 }],
  [
    'Who were our top 3 customers by revenue in 1998?',
    { groupBy: 'customer', limit: 3, metric: 'revenue' },
  ],
  ['3 best selling products last month', { metric: 'units_sold', groupBy: 'product', limit: 3 }],
  [
    'best-selling product by units last month',
    { metric: 'units_sold', groupBy: 'product', limit: 1 },
  ],
  ['bestselling products', { metric: 'units_sold', groupBy: 'product', limit: 10 }],
  ['our top selling items', { metric: 'units_sold', groupBy: 'product' }],
  ['most popular category', { metric: 'units_sold', groupBy: 'category', limit: 1 }],
  [
    'least popular product last year',
    { metric: 'units_sold', groupBy: 'product', limit: 1, sort: 'value asc' },
  ],
  [
    'worst 3 categories by sales in 1997',
    { metric: 'revenue', groupBy: 'category', limit: 3, sort: 'value asc' },
  ],
  [
    'bottom 5 countries by orders',
    { metric: 'order_count', groupBy: 'country', limit: 5, sort: 'value asc' },
  ],
  [
    'lowest revenue country',
    { groupBy: 'country', limit: 1, sort: 'value asc', metric: 'revenue' },
  ],
  ['biggest customers last year', { groupBy: 'customer', limit: 10, metric: 'revenue' }],
  [
    'Which country had the most orders in 1998?',
    { metric: 'order_count', groupBy: 'country', limit: 1, sort: 'value desc' },
  ],
  ['which countries had the most orders', { groupBy: 'country', limit: 10 }],
  [
    'which product sold the most units last month',
    { metric: 'units_sold', groupBy: 'product', limit: 1 },
  ],
  ['which customer spent the most in 1997', { metric: 'revenue', groupBy: 'customer', limit: 1 }],
  [
    'which channel had the fewest orders',
    { metric: 'order_count', groupBy: 'channel', limit: 1, sort: 'value asc' },
  ],
  [
    'what category had the highest revenue last month',
    { groupBy: 'category', limit: 1, metric: 'revenue' },
  ],
  ['what was our best month in 1997', { groupBy: 'month', limit: 1, metric: 'revenue' }],
  ['busiest day last week', { groupBy: 'day', limit: 1, metric: 'order_count' }],
  ['Revenue by country in 1997, top 5', { groupBy: 'country', limit: 5, sort: 'value desc' }],
  ['revenue by product, top 3', { groupBy: 'product', limit: 3 }],
  ['revenue by country sorted ascending', { sort: 'value asc', limit: null }],
  ['revenue by country from lowest to highest', { sort: 'value asc' }],
  ['revenue by country highest first', { sort: 'value desc' }],
  ['revenue by country alphabetically', { sort: 'label asc' }],
  ['revenue by customer in alphabetical order', { sort: 'label asc', groupBy: 'customer' }],
  ['monthly revenue in 1997 sorted descending', { groupBy: 'month', sort: 'value desc' }],
  [
    'orders from Germany last month',
    { metric: 'order_count', filters: ['country=Germany'], range: APRIL },
  ],
  ['How many orders came from Germany in 1997?', { filters: ['country=Germany'], range: Y97 }],
  ['revenue from germany and france', { filters: ['country=Germany|France'] }],
  ['revenue from Germany or Austria', { filters: ['country=Germany|Austria'] }],
  ['orders from the US', { filters: ['country=USA'] }],
  ['orders from the United States', { filters: ['country=USA'] }],
  ['orders from america', { filters: ['country=USA'] }],
  ['how many orders did German customers place', { filters: ['country=Germany'] }],
  ['French revenue', { filters: ['country=France'] }],
  ['revenue excluding Germany', { filters: ['country!=Germany'] }],
  ['revenue not from the USA', { filters: ['country!=USA'] }],
  ['orders outside of France', { filters: ['country!=France'] }],
  ['revenue except Chai', { filters: ['product!=Chai'] }],
  ["orders that weren't from Germany", { filters: ['country!=Germany'] }],
  ["revenue from customers who aren't in France", { filters: ['country!=France'] }],
  ['revenue excluding Germany and the USA', { filters: ['country!=Germany|USA'] }],
  ['revenue not from Germany or France', { filters: ['country!=Germany|France'] }],
  ['revenue excluding Germany, from France', { filters: ['country!=Germany', 'country=France'] }],
  [
    'how many orders were shipped to France',
    { metric: 'order_count', filters: ['country=France'] },
  ],
  // Values of one dimension side by side: a breakdown kept to them.
  [
    'revenue Germany vs France in 1997',
    { groupBy: 'country', filters: ['country=Germany|France'], range: Y97 },
  ],
  [
    'compare orders in Germany and France last month',
    { metric: 'order_count', groupBy: 'country', filters: ['country=Germany|France'] },
  ],
  ['rev by month 1997', { metric: 'revenue', groupBy: 'month', range: Y97 }],
  // Best sellers rank products by units, wherever the words stand.
  ['best sellers in 1997', { metric: 'units_sold', groupBy: 'product', limit: 10, range: Y97 }],
  [
    'what sold best last month',
    { metric: 'units_sold', groupBy: 'product', limit: 1, range: APRIL },
  ],
  [
    'which products are most sold in 1997, the top 5',
    { metric: 'units_sold', groupBy: 'product', limit: 5, range: Y97 },
  ],
  ['which category sold the most in 1997', { metric: 'units_sold', groupBy: 'category', limit: 1 }],
  [
    'value of cancelled orders in 1997',
    { metric: 'revenue', filters: ['status=cancelled'], range: Y97 },
  ],
  [
    'how many items are in the Beverages category',
    { metric: 'product_count', filters: ['category=Beverages'] },
  ],
  ["revenue in 1997 from orders that didn't come from Germany", { filters: ['country!=Germany'] }],
  ['units sold in 1997, not counting Germany', { filters: ['country!=Germany'] }],
  [
    'shipped orders via the web shop from France in 1997',
    { filters: ['channel=web', 'country=France', 'status=shipped'] },
  ],
  ['categories ranked by units sold in 1997', { groupBy: 'category', sort: 'value desc' }],
  [
    'number of products per category in the catalog',
    { metric: 'product_count', groupBy: 'category' },
  ],
  // Amounts that look like years, and currency codes or words before the number.
  ['orders over $2000 in 1997', { filters: ['grand_total gt 2000'], range: Y97 }],
  ['orders above USD 250 in 1997', { filters: ['grand_total gt 250'], range: Y97 }],
  ['orders over 50 quid', { filters: ['grand_total gt 50'] }],
  [
    'revenue by country, highest to lowest',
    { groupBy: 'country', sort: 'value desc', limit: null },
  ],
  [
    'revenue by category lowest to highest',
    { groupBy: 'category', sort: 'value asc', limit: null },
  ],
  [
    'which 3 customers ordered the most times in 1997',
    { metric: 'order_count', groupBy: 'customer', limit: 3, range: Y97 },
  ],
  ['web orders last week', { filters: ['channel=web'] }],
  ['online orders', { filters: ['channel=web'] }],
  ['orders via phone', { filters: ['channel=phone'] }],
  ['marketplace revenue', { filters: ['channel=marketplace'] }],
  ['revenue paid by card', { filters: ['payment_method=card'] }],
  ['orders paid with paypal', { filters: ['payment_method=paypal'] }],
  ['credit card orders', { filters: ['payment_method=card'] }],
  ['invoice payments revenue', { filters: ['payment_method=invoice'] }],
  ['Revenue from Chai in 1997', { filters: ['product=Chai'], metric: 'revenue' }],
  ['units of Côte de Blaye', { filters: ['product=Côte de Blaye'], metric: 'units_sold' }],
  ['units of cote de blaye', { filters: ['product=Côte de Blaye'] }],
  ['sales of raclette', { filters: ['product=Raclette Courdavault'] }],
  ['revenue of Chang and Chai', { filters: ['product=Chang|Chai'] }],
  ['how many orders included Tofu', { metric: 'order_count', filters: ['product=Tofu'] }],
  [
    'How many units of Beverages did we sell in 1997?',
    { metric: 'units_sold', filters: ['category=Beverages'] },
  ],
  ['revenue in the Dairy Products category', { filters: ['category=Dairy Products'] }],
  ['dairy revenue', { filters: ['category=Dairy Products'] }],
  ['Meat/Poultry sales', { filters: ['category=Meat/Poultry'] }],
  ['seafood products revenue by product', { filters: ['category=Seafood'], groupBy: 'product' }],
  ['orders from Ernst Handel', { filters: ['customer=ERNSH'] }],
  ['revenue from customer Alfreds Futterkiste', { filters: ['customer=ALFKI'] }],
  [
    'How much did Ernst Handel spend last year?',
    { metric: 'revenue', filters: ['customer=ERNSH'] },
  ],
  ['orders by Jane Doe', { filters: ['customer=7'] }],
  ['How many orders are in paid status?', { filters: ['status=paid'] }],
  ['paid orders', { filters: ['status=paid'] }],
  // "paid in/with X" is how an order was paid, not its status; "paid in April" is the status.
  [
    'revenue from orders paid in card last month',
    { filters: ['payment_method=card'], range: APRIL },
  ],
  ['orders paid in april', { filters: ['status=paid'], range: APRIL }],
  [
    'the 5 least sold products in 1997',
    { metric: 'units_sold', groupBy: 'product', limit: 5, sort: 'value asc' },
  ],
  [
    'least sold products in 1997',
    { metric: 'units_sold', groupBy: 'product', limit: 10, sort: 'value asc' },
  ],
  [
    'share of orders from Germany in 1997',
    { metric: 'order_share', filters: ['country=Germany'], range: Y97 },
  ],
  [
    'what percent of orders in 1997 were paid with paypal',
    { metric: 'order_share', filters: ['payment_method=paypal'] },
  ],
  ['share of orders by channel', { metric: 'order_share', groupBy: 'channel' }],
  // The noun before "(ranked) by <measure>" is the breakdown.
  [
    'products ranked by units sold last month',
    { metric: 'units_sold', groupBy: 'product', range: APRIL },
  ],
  ['customers by revenue in 1997', { metric: 'revenue', groupBy: 'customer', range: Y97 }],
  ['customers by country', { metric: 'customer_count', groupBy: 'country' }],
  ['revenue from March through April 1998', { metric: 'revenue', range: '1998-03-01..1998-04-30' }],
  [
    'which products did we sell the most of last month',
    { metric: 'units_sold', groupBy: 'product', sort: 'value desc' },
  ],
  // "<noun> with the most <measure>" ranks that noun, with or without a number.
  [
    '5 products with the most stock',
    { metric: 'stock_on_hand', groupBy: 'product', limit: 5, sort: 'value desc' },
  ],
  [
    'customers with the most orders in 1997',
    { metric: 'order_count', groupBy: 'customer', range: Y97, sort: 'value desc' },
  ],
  [
    'the 3 countries with the lowest revenue in 1997',
    { metric: 'revenue', groupBy: 'country', limit: 3, sort: 'value asc' },
  ],
  // A list of statuses filters orders; after a negation it filters them out.
  [
    'cancelled and refunded orders in 1997',
    { metric: 'order_count', filters: ['status=cancelled|refunded'], range: Y97 },
  ],
  [
    'revenue in 1997 excluding cancelled and refunded orders',
    { metric: 'revenue', filters: ['status!=cancelled|refunded'] },
  ],
  ['revenue excluding cancelled orders', { metric: 'revenue', filters: ['status!=cancelled'] }],
  ['orders last month except cancelled', { metric: 'order_count', filters: ['status!=cancelled'] }],
  ['orders with status shipped', { filters: ['status=shipped'] }],
  ['pending orders', { filters: ['status=pending'] }],
  ['how many orders were refunded or cancelled', { filters: ['status=refunded|cancelled'] }],
  ['orders not shipped', { filters: ['status!=shipped'] }],
  ['how many orders were delivered last month', { filters: ['status=delivered'], range: APRIL }],
  ['revenue from shipped orders', { metric: 'revenue', filters: ['status=shipped'] }],
  ['orders over $100 last month', { filters: ['grand_total gt 100'], range: APRIL }],
  ['orders above 1000 dollars', { filters: ['grand_total gt 1000'] }],
  ['orders of more than 2,500', { filters: ['grand_total gt 2500'] }],
  ['orders worth at least $1k', { filters: ['grand_total gte 1000'] }],
  ['orders under 50 euros', { filters: ['grand_total lt 50'] }],
  ['orders below $20', { filters: ['grand_total lt 20'] }],
  ['orders of at most 300', { filters: ['grand_total lte 300'] }],
  ['orders of $500 or more', { filters: ['grand_total gte 500'] }],
  ['orders between $100 and $500', { filters: ['grand_total gte 100', 'grand_total lte 500'] }],
  [
    'revenue from orders over $1,000 in 1997',
    { metric: 'revenue', filters: ['grand_total gt 1000'], range: Y97 },
  ],
  [
    'orders over $100 from Germany by month in 1997',
    { filters: ['grand_total gt 100', 'country=Germany'], groupBy: 'month' },
  ],
  [
    'top 3 products in Beverages by units in 1997',
    { groupBy: 'product', limit: 3, metric: 'units_sold', filters: ['category=Beverages'] },
  ],
  ['revenue by category excluding Germany', { groupBy: 'category', filters: ['country!=Germany'] }],
];

describe('breakdowns, rankings, sorting and filters', () => {
  it.each(CASES)('%s', (question, expected) => {
    expect(parsed(question)).toMatchObject(expected);
  });
});
