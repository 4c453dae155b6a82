import { migration as init } from './0001_init.ts';
import type { Migration } from './migration.ts';

/** Every migration, in order. Append new ones; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [init];
