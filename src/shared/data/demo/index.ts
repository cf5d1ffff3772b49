/** Deterministic demo shops with planted effects (issue 2 demo data, issue 5 acceptance). */
export { DEMO_SHOPS, findDemoShop } from './demo-shops.config.js';
export type { DemoShopSpec, DemoCountry, DemoCategory, DemoPlantedSpec, PlantedEffects, Weighted } from './demo-shop.types.js';
export { generateShop, type GenerateShopOptions } from './shop.generator.js';
export { plantedEffects } from './planted-effects.model.js';
export { writeShopDir } from './shop-dir.writer.js';
