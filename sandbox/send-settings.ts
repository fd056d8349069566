/**
 * Where `sandbox:send` sends and looks: the app's /slack/events and the fakes, read from the settings
 * file the sandbox wrote (`.env.sandbox` by default), else the sandbox's defaults; flags win.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { z } from 'zod';
import { scriptArgs } from './run-settings.js';
import { DEFAULT_ACTOR, SANDBOX_WORLD } from './world.js';

export const DEFAULT_ENV_FILE = '.env.sandbox';

const httpUrl = z.url({ protocol: /^https?$/ });

const fileSchema = z.object({
  SLACK_API_URL: httpUrl.default('http://127.0.0.1:4010/api/'),
  FLEX_API_BASE_URL: httpUrl.default('http://127.0.0.1:4020'),
  TASKROUTER_API_BASE_URL: httpUrl.default('http://127.0.0.1:4030'),
  SLACK_SIGNING_SECRET: z.string().min(1).default(SANDBOX_WORLD.signingSecret),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

export interface SendSettings {
  /** The app's Slack endpoint. */
  appUrl: string;
  signingSecret: string;
  fakes: { slack: string; flex: string; taskrouter: string };
  /** Slack handle or user id of whoever acts. */
  actor: string;
  channel: string | undefined;
  /** How long to wait for, and show, what the app then did at the fakes. */
  waitMs: number;
  comment: string | undefined;
  category: string | undefined;
  /** `block_id=value` pairs typed into a modal. */
  fields: string[];
  value: string | undefined;
  positionals: string[];
  help: boolean;
}

export function parseSendSettings(argv: string[]): SendSettings {
  const { values, positionals } = parseArgs({
    args: scriptArgs(argv),
    allowPositionals: true,
    options: {
      'env-file': { type: 'string' },
      app: { type: 'string' },
      as: { type: 'string' },
      channel: { type: 'string' },
      wait: { type: 'string' },
      comment: { type: 'string' },
      category: { type: 'string' },
      set: { type: 'string', multiple: true },
      value: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const envFile = values['env-file'] ?? DEFAULT_ENV_FILE;
  if (values['env-file'] && !existsSync(envFile)) throw new Error(`No settings file ${envFile}`);
  const file = fileSchema.parse(existsSync(envFile) ? dotenv.parse(readFileSync(envFile)) : {});
  const slackBase = new URL(file.SLACK_API_URL).origin;
  return {
    appUrl: values.app ?? `http://127.0.0.1:${file.PORT}/slack/events`,
    signingSecret: file.SLACK_SIGNING_SECRET,
    fakes: {
      slack: slackBase,
      flex: file.FLEX_API_BASE_URL.replace(/\/+$/, ''),
      taskrouter: file.TASKROUTER_API_BASE_URL.replace(/\/+$/, ''),
    },
    actor: values.as ?? DEFAULT_ACTOR,
    channel: values.channel,
    waitMs: z.coerce
      .number()
      .int()
      .min(0)
      .parse(values.wait ?? 2000),
    comment: values.comment,
    category: values.category,
    fields: values.set ?? [],
    value: values.value,
    positionals,
    help: values.help ?? false,
  };
}
