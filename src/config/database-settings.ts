import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { optionalString } from './env-values.js';
import { secretsKeySchema } from './secrets-key-settings.js';

export interface DatabaseSettings {
  databaseUrl: string;
  /** 32-byte key that seals stored Flex Authorization values; absent means none can be stored. */
  secretsKey: Buffer | undefined;
}

/** Where the database is, and the key that seals what is stored in it. */
export const databaseEnv = {
  DATABASE_URL: z
    .string()
    .trim()
    .default('file:./data/flex-qm.db')
    .refine(
      (value) =>
        (value.startsWith('file:') && value.length > 'file:'.length) || /^postgres(ql)?:\/\/[^/]*\/[^/?]+/i.test(value),
      {
        message:
          'must be an SQLite URL such as file:./data/flex-qm.db, or a PostgreSQL URL such as postgresql://user:password@host:5432/flex_qm',
      },
    ),
  SECRETS_KEY: optionalString.pipe(secretsKeySchema.optional()),
};

/** Settings for tools that only touch the database (admin CLIs, migrations). */
export function loadDatabaseSettings(env: NodeJS.ProcessEnv): DatabaseSettings {
  const parsed = z.object(databaseEnv).safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`));
  }
  return { databaseUrl: parsed.data.DATABASE_URL, secretsKey: parsed.data.SECRETS_KEY };
}
