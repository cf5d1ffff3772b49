/**
 * What the model is told about the data: the canonical collections with the
 * meaning and unit of each field, and the metric definitions of DESIGN.md that
 * every tier follows. Plain text, stable across requests (so a server-side
 * prompt cache can keep it).
 */
export const ANNOTATED_SCHEMA = `Collections (MongoDB aggregation; every document has an integer shop_id):

order — one document per order
  id: order id (number or string)
  shop_id: integer shop id
  customer_id: id of the customer (matches customer.id), may be null
  status: one of pending | paid | shipped | delivered | cancelled | refunded
  created_at: Date the order was placed (compare with {"$date": "<ISO 8601>"})
  currency: 3-letter ISO code of all money fields of the order
  subtotal: sum of line amounts before discount, shipping and tax (money)
  discount: order discount (money, >= 0)
  shipping: shipping charged (money)
  tax: tax charged (money)
  grand_total: what the customer paid: subtotal - discount + shipping + tax (money)
  country: customer's country name, e.g. "Germany"
  channel: sales channel, e.g. "web", "mobile", "marketplace", "phone"
  payment_method: e.g. "card", "paypal", "bank_transfer"
  items: array of order lines, each { product_id (matches product.id), sku, name, category,
         quantity (integer units), unit_price (money per unit) }

product — one document per product
  id, shop_id, name, sku, category,
  price: current list price (money), cost: unit cost (money, may be null),
  stock_quantity: units in stock (may be null),
  status: active | draft | archived, created_at: Date

customer — one document per customer
  id, shop_id, first_name, last_name, company (may be null), email, country,
  created_at: Date the customer record was created`;

export const METRIC_RULES = `Metric definitions (follow them exactly):
- order count: orders created in the period, any status unless a status is asked for
- revenue (sales, turnover): sum of grand_total over orders whose status is not cancelled or refunded
- average order value: revenue / number of those orders
- units sold: sum of items.quantity over those orders
- new customers: customers whose first order falls in the period
- product revenue: sum of quantity * unit_price of that product's lines in those orders; breakdowns
  by product or category use these line amounts ($unwind items), breakdowns by order attributes
  (country, channel, status, payment method, customer, time) use grand_total
- a customer is labelled by company when it has one, else by "first_name last_name"
- "last week" is the previous Monday–Sunday, "last month" the previous calendar month, "last N days"
  the N whole days before the reference day; "this week/month/quarter/year" and "year to date" run
  from the period's start up to the reference instant; periods are in the given time zone
- shares, rates and changes are in percent: 26.8 means 26.8%`;

export const OUTPUT_RULES = `Write ONE read-only MongoDB aggregation pipeline that answers the question.
Answer with a JSON object only: {"collection": "order" | "product" | "customer", "pipeline": [ ...stages ]}.
Rules:
- start with {"$match": {"shop_id": SHOP_ID, ...}} and put date bounds on created_at in that first $match
- dates are written as {"$date": "2026-01-31T00:00:00Z"}; never compare dates with plain strings
- only read stages: $match $group $project $addFields $set $unset $sort $limit $skip $unwind $lookup
  $count $facet $bucket $sortByCount $setWindowFields $replaceRoot $densify $fill
- $lookup only into order, product or customer, joined on a field (localField/foreignField, or a let
  variable compared with $eq); at most 3 lookups; no $out, $merge, $function, $where, $accumulator, JavaScript
- the current time is "$$NOW"; regular expressions are constant strings ("socks", "^Wool") without
  nested repeats; $range bounds are literal integers; field names are plain words
- name result fields in snake_case words (e.g. "revenue", "orders", "country"), round money to 2 decimals
- return at most 100 rows; sort rankings explicitly`;
