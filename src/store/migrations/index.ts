import { migration as init } from './0001_init.ts';
import { migration as partialTraceIndexes } from './0002_partial_trace_indexes.ts';
import { migration as dropTraceModelIndex } from './0003_drop_trace_model_index.ts';
import type { Migration } from './migration.ts';

/** Every migration, in order. Append new ones; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [init, partialTraceIndexes, dropTraceModelIndex];
