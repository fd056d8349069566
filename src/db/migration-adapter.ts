import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';

/**
 * The app's driver adapter, shaped for the WebAssembly schema engine:
 * - the engine sends a whole migration (many statements) through `executeRaw`, which better-sqlite3
 *   runs one statement at a time, so a parameterless multi-statement call goes through `executeScript`;
 * - the engine does not close the connections it opens, and an open connection keeps SQLite locked,
 *   so every connection is tracked and `close()` disposes of them.
 */
export function trackedMigrationAdapter(factory: SqlMigrationAwareDriverAdapterFactory): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
} {
  const opened: SqlDriverAdapter[] = [];
  const track = async (connect: () => Promise<SqlDriverAdapter>): Promise<SqlDriverAdapter> => {
    const adapter = await connect();
    opened.push(adapter);
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query: SqlQuery) => {
      try {
        return await executeRaw(query);
      } catch (error) {
        if (query.args.length === 0 && /more than one statement/.test(String(error))) {
          await adapter.executeScript(query.sql);
          return 0;
        }
        throw error;
      }
    };
    return adapter;
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => track(() => factory.connect()),
      connectToShadowDb: () => track(() => factory.connectToShadowDb()),
    },
    async close() {
      await Promise.allSettled(opened.splice(0).map((adapter) => adapter.dispose()));
    },
  };
}
