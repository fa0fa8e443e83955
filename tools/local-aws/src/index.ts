export { startLocalS3 } from './localS3';
export type { LocalS3 } from './localS3';
export { startLocalDynamo } from './localDynamo';
export type { LocalDynamo } from './localDynamo';
export { generateDemoDataset, seededRandom } from './demoData';
export type { GoldRow, DemoProduct, DemoDataset, DemoOptions, DemoArchetype } from './demoData';
export { writeGoldParquetParts } from './goldParquet';
export type { PartFile } from './goldParquet';
