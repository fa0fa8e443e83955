// dynalite ships no types; tsconfig `paths` points the module name here. Only the factory the
// tests use is declared.
import type { Server } from 'node:http';

export interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  maxItemSizeKb?: number;
  verbose?: boolean;
  debug?: boolean;
  ssl?: boolean;
}

export default function dynalite(options?: DynaliteOptions): Server;
