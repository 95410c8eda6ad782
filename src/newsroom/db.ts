// The query handle the domain works with: the database or a transaction on it.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export type Queryable = Kysely<Database> | Transaction<Database>;
export type { Database };

/** COUNT(*) comes back as a string from pg's bigint and a number from SQLite. */
export const toCount = (value: string | number | bigint | null | undefined): number => Number(value ?? 0);
