import {
  type ArgType,
  type ColumnType,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import type { PrismaClient } from '../generated/prisma/client.js';

/** A value a statement may carry: what the hot statements of the repositories bind. */
export type SqlValue = string | number | boolean | Date | null;

/** One statement, its text apart from its values (made with the `sql` tag, never by concatenation). */
export interface Statement {
  readonly parts: readonly string[];
  readonly values: readonly SqlValue[];
}

/** `sql\`SELECT … WHERE "id" = ${id}\``: every `${}` becomes a bound parameter, never text. */
export function sql(parts: TemplateStringsArray, ...values: SqlValue[]): Statement {
  return { parts, values };
}

/**
 * Statements sent straight to the connection Prisma's client uses, through the same driver adapter
 * (`@prisma/adapter-better-sqlite3` or `@prisma/adapter-pg`), for the few statements every request
 * makes: finding the reviewer, storing a submission, recording its post. Prisma's `$queryRaw` runs the
 * same SQL through the client's query pipeline, which costs 40–70 µs a statement on top of the
 * driver's 11–13 µs (3,000 runs each, SQLite); on a submission that is three times over, and the
 * garbage it leaves is collected while other requests wait. Everything else uses Prisma's client.
 */
export class DriverSql {
  constructor(private readonly connection: () => SqlDriverAdapter) {}

  /**
   * The rows of a query, one object per row, with booleans, numbers and dates as JavaScript has them.
   * `T` is the caller's word for the row's shape, as with `$queryRaw`; test/db/driver-sql.test.ts checks
   * that a row read here equals the one Prisma's client reads, column for column, on both databases.
   */
  async rows<T>(statement: Statement): Promise<T[]> {
    const connection = this.connection();
    return decodeRows(await connection.queryRaw(queryFor(connection, statement))) as T[];
  }

  /** Runs a write and returns how many rows it changed. */
  async execute(statement: Statement): Promise<number> {
    const connection = this.connection();
    return connection.executeRaw(queryFor(connection, statement));
  }
}

/** The statement as the driver takes it: PostgreSQL numbers its placeholders, SQLite does not. */
function queryFor(connection: SqlDriverAdapter, { parts, values }: Statement): SqlQuery {
  const postgres = connection.provider === 'postgres';
  let text = parts[0] ?? '';
  for (let index = 1; index < parts.length; index += 1) text += `${postgres ? `$${index}` : '?'}${parts[index]}`;
  return { sql: text, args: [...values], argTypes: values.map(argTypeOf) };
}

function argTypeOf(value: SqlValue): ArgType {
  const scalarType =
    value === null
      ? 'unknown'
      : value instanceof Date
        ? 'datetime'
        : typeof value === 'boolean'
          ? 'boolean'
          : typeof value === 'number'
            ? Number.isInteger(value)
              ? 'int'
              : 'float'
            : 'string';
  return { scalarType, arity: 'scalar' };
}

function decodeRows(result: SqlResultSet): Array<Record<string, unknown>> {
  const { columnNames, columnTypes, rows } = result;
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    columnNames.forEach((name, index) => {
      record[name] = decode(row[index], columnTypes[index]);
    });
    return record;
  });
}

/**
 * A driver's value as the column's type says: SQLite gives booleans as 0/1, both drivers give dates as
 * text and 64-bit integers as strings (our tables hold none past 2^53).
 */
function decode(value: unknown, type: ColumnType | undefined): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case ColumnTypeEnum.Boolean:
      return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
    case ColumnTypeEnum.DateTime:
    case ColumnTypeEnum.Date:
      return new Date(String(value));
    case ColumnTypeEnum.Int32:
    case ColumnTypeEnum.Int64:
    case ColumnTypeEnum.Float:
    case ColumnTypeEnum.Double:
      return Number(value);
    default:
      return value;
  }
}

/** The same driver adapter factory, remembering the connection it made for `DriverSql`. */
export function rememberingConnection(factory: SqlDriverAdapterFactory): {
  factory: SqlDriverAdapterFactory;
  connection: () => SqlDriverAdapter;
} {
  let connected: SqlDriverAdapter | undefined;
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => {
        connected = await factory.connect();
        return connected;
      },
    },
    connection: () => {
      if (!connected) throw new Error('The database is not connected yet: open it with openDatabase().');
      return connected;
    },
  };
}

const registry = new WeakMap<PrismaClient, DriverSql>();

/** Made by the database drivers as they open a client (src/db/providers), for its repositories. */
export function registerDriverSql(prisma: PrismaClient, driverSql: DriverSql): void {
  registry.set(prisma, driverSql);
}

/** The `DriverSql` of a client opened by `openDatabase`. */
export function driverSqlOf(prisma: PrismaClient): DriverSql {
  const found = registry.get(prisma);
  if (!found) throw new Error('This Prisma client was not opened by openDatabase(), so it has no driver connection.');
  return found;
}
