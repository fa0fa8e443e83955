import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ByteWriter, parquetWriteBuffer } from 'hyparquet-writer';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { parquetMetadata } from 'hyparquet';
import type { ColumnSource } from 'hyparquet-writer';

/** hyparquet-writer bundles its own hyparquet, so its schema type is taken from its signature. */
type SchemaElement = NonNullable<Parameters<typeof parquetWriteBuffer>[0]['schema']>[number];

const here = path.dirname(fileURLToPath(import.meta.url));

/** The team's shared datasets, outside the repo: /work/shared/datasets. */
export const datasetsDir = path.resolve(here, '../../../../shared/datasets');
export const retailDir = path.join(datasetsDir, 'retail-ai-insights');
export const hasRetail = existsSync(path.join(retailDir, 'forecast_ready'));

/** A temp directory removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sales-data-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes `files` (relative path -> content) under `dir`, creating folders. */
export async function writeTree(
  dir: string,
  files: Record<string, string | Uint8Array>,
): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
  }
}

/** A Snappy Parquet file (hyparquet-writer's default codec) from typed columns. */
export function parquetBytes(
  columnData: ColumnSource[],
  schema?: SchemaElement[],
  rowGroupSize?: number,
): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData, schema, rowGroupSize }));
}

/** A root-plus-leaves schema with OPTIONAL leaves. */
export function schemaOf(...leaves: Omit<SchemaElement, 'repetition_type'>[]): SchemaElement[] {
  return [
    { name: 'root', num_children: leaves.length },
    ...leaves.map((leaf) => ({ ...leaf, repetition_type: 'OPTIONAL' as const })),
  ];
}

export const STRING = { type: 'BYTE_ARRAY', converted_type: 'UTF8' } as const;

/** The 12-byte little-endian INT96 Spark writes: nanos of day (int64), then Julian day (int32). */
export function int96(isoDay: string, nanosOfDay = 0n): Uint8Array {
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(0, nanosOfDay, true);
  view.setInt32(8, Date.parse(isoDay) / 86_400_000 + 2_440_588, true);
  return bytes;
}

/**
 * hyparquet-writer cannot encode INT96, so the column is written as PLAIN
 * FIXED_LEN_BYTE_ARRAY(12) (byte-identical data pages) and the footer is rewritten to declare
 * INT96, which yields the file layout Spark's legacy timestamp writer produces.
 */
export function parquetWithInt96(
  column: string,
  columnData: ColumnSource[],
  schema: SchemaElement[],
): Uint8Array {
  const patchedData = columnData.map((c) =>
    c.name === column ? { ...c, encoding: 'PLAIN' as const, statistics: false } : c,
  );
  const flbaSchema = schema.map((e) =>
    e.name === column ? { ...e, type: 'FIXED_LEN_BYTE_ARRAY' as const, type_length: 12 } : e,
  );
  const original = new Uint8Array(
    parquetWriteBuffer({ columnData: patchedData, schema: flbaSchema }),
  );
  const metadata = parquetMetadata(original.buffer);
  const head = original.subarray(0, original.length - 8 - metadata.metadata_length);
  metadata.schema = metadata.schema.map((e) =>
    e.name === column ? { ...e, type: 'INT96' as const, type_length: undefined } : e,
  );
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      if (chunk.meta_data?.path_in_schema[0] === column) chunk.meta_data.type = 'INT96';
    }
  }
  const writer = new ByteWriter();
  writer.appendBytes(head);
  // metadata_length is derived by the reader, not a thrift field.
  const { metadata_length: _ignored, ...footer } = metadata;
  writeMetadata(writer, footer as unknown as Parameters<typeof writeMetadata>[1]);
  writer.appendUint32(0x31524150); // "PAR1"
  return new Uint8Array(writer.getBuffer());
}
