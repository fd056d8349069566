import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import { trackedMigrationAdapter } from './migration-adapter.js';

type SchemaEngine = bindings.SchemaEngine;

// The ES2023 lib has no WebAssembly types; this is the one call used.
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

const require = createRequire(import.meta.url);
let ready: Promise<void> | undefined;

/**
 * Prisma's own WebAssembly build of its schema engine: the engine `prisma migrate` runs, without the
 * native binary Prisma 7's CLI would download. The package's entry imports the .wasm as an ES
 * module, which Node does not do, so it is instantiated here with the package's bindings.
 */
function loadWasm(): Promise<void> {
  ready ??= (async () => {
    // The package exports only its JS; the .wasm sits beside the bindings.
    const wasmPath = join(
      dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
      './schema_engine_bg.js': bindings,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return ready;
}

export interface SchemaFile {
  path: string;
  content: string;
}

/** Runs `work` with a schema engine bound to the app's own driver adapter, then frees it. */
export async function withSchemaEngine<T>(
  schema: SchemaFile,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
  log: (line: string) => void = () => undefined,
): Promise<T> {
  await loadWasm();
  const adapter = trackedMigrationAdapter(adapterFactory);
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    (message: string) => log(message),
    bindMigrationAwareSqlAdapterFactory(adapter.factory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await adapter.close();
  }
}
