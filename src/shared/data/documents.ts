import { z } from 'zod';

/**
 * Canonical documents (DESIGN.md "Canonical data"). The same zod schemas validate
 * every imported line, so an import either fits the data model or is refused.
 * `shop_id` is an integer everywhere; ids may be numbers or strings (Northwind
 * uses customer codes such as "ALFKI").
 */
export const COLLECTIONS = ['order', 'product', 'customer'] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

export const ORDER_STATUSES = [
  'pending',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Orders in these statuses never count towards revenue, AOV or units. */
export const NON_REVENUE_STATUSES: readonly OrderStatus[] = ['cancelled', 'refunded'];

const id = z.union([z.number().int(), z.string().min(1).max(64)]);
const money = z.number().finite();
/** ISO 8601 string in files, Date in the store. */
const isoDate = z.union([
  z.date(),
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  z.iso.date().transform((s) => new Date(`${s}T00:00:00.000Z`)),
]);

export const orderItemSchema = z.object({
  product_id: id,
  sku: z.string().nullish(),
  name: z.string().min(1),
  category: z.string().nullish(),
  quantity: z.number().int().nonnegative(),
  unit_price: money,
});

export const orderSchema = z.object({
  id,
  shop_id: z.number().int().positive(),
  customer_id: id.nullish(),
  status: z.enum(ORDER_STATUSES),
  created_at: isoDate,
  currency: z.string().length(3),
  subtotal: money,
  discount: money.default(0),
  shipping: money.default(0),
  tax: money.default(0),
  grand_total: money,
  country: z.string().nullish(),
  channel: z.string().nullish(),
  payment_method: z.string().nullish(),
  items: z.array(orderItemSchema),
});

export const productSchema = z.object({
  id,
  shop_id: z.number().int().positive(),
  name: z.string().min(1),
  sku: z.string().nullish(),
  category: z.string().nullish(),
  price: money,
  cost: money.nullish(),
  stock_quantity: z.number().int().nullish(),
  status: z.enum(['active', 'draft', 'archived']),
  created_at: isoDate,
});

export const customerSchema = z.object({
  id,
  shop_id: z.number().int().positive(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company: z.string().nullish(),
  email: z.string().nullish(),
  country: z.string().nullish(),
  created_at: isoDate,
});

export type Order = z.output<typeof orderSchema>;
export type OrderItem = z.output<typeof orderItemSchema>;
export type Product = z.output<typeof productSchema>;
export type Customer = z.output<typeof customerSchema>;

export const documentSchemas = {
  order: orderSchema,
  product: productSchema,
  customer: customerSchema,
} as const;

export interface ShopDocuments {
  order: Order[];
  product: Product[];
  customer: Customer[];
}
