import dotenv from 'dotenv';

/** Loads `.env` (if present) into the environment; real environment variables win. */
export function readEnvFile(path = '.env'): NodeJS.ProcessEnv {
  dotenv.config({ path, quiet: true });
  return process.env;
}
