export {
  startLocalS3,
  startLocalDynamo,
  startLocalAws,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
} from './testing';
export type { LocalS3, LocalDynamo, LocalAws } from './testing';
export { generateDemoDataset, seededRandom, demoInventoryItems } from './demoData';
export type { GoldRow, DemoProduct, DemoDataset, DemoOptions, DemoArchetype } from './demoData';
export { writeGoldParquetParts } from './goldParquet';
export type { PartFile } from './goldParquet';
