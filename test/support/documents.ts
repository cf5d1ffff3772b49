import type { Customer, Order } from '../../src/shared/data/documents.js';

/**
 * A paid order of one line, in EUR, from a German web customer paying by card;
 * tests override what they are about.
 */
export function orderDoc(fields: Partial<Order> & Pick<Order, 'id' | 'shop_id'>): Order {
  const total = fields.grand_total ?? 10;
  return {
    customer_id: 'c1',
    status: 'paid',
    created_at: new Date('2026-11-01T10:00:00Z'),
    currency: 'EUR',
    subtotal: total,
    discount: 0,
    shipping: 0,
    tax: 0,
    grand_total: total,
    country: 'Germany',
    channel: 'web',
    payment_method: 'card',
    items: [
      { product_id: 1, sku: 'A', name: 'Tea', category: 'Drinks', quantity: 1, unit_price: total },
    ],
    ...fields,
  };
}

/** A customer created on 1 January 2026; tests override what they are about. */
export function customerDoc(
  fields: Partial<Customer> & Pick<Customer, 'id' | 'shop_id'>,
): Customer {
  return {
    first_name: 'Ada',
    last_name: 'Lovelace',
    company: null,
    email: null,
    country: 'Germany',
    created_at: new Date('2026-01-01'),
    ...fields,
  };
}
