import { z } from 'zod';

/** CALL_LINK_PATTERNS: admin-defined call link forms, each with a named group `segment`. */
export const callLinkEnv = {
  CALL_LINK_PATTERNS: z
    .string()
    .trim()
    .default('[]')
    .transform((value, ctx) => {
      try {
        const parsed: unknown = JSON.parse(value === '' ? '[]' : value);
        if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) throw new Error('not a list');
        return parsed.map((source) => {
          if (!source.includes('(?<segment>')) throw new Error(`${source} has no (?<segment>…) group`);
          return new RegExp(source, 'i');
        });
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a JSON list of regular expressions, each with a named group (?<segment>…) and optionally (?<offset>…) and (?<agent>…): ${error instanceof Error ? error.message : String(error)}`,
        });
        return z.NEVER;
      }
    }),
};
