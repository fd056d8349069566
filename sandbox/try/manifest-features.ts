/**
 * What Slack's client offers people for this app, read from manifest.yml as Slack reads it: the slash
 * commands, the message shortcuts (the message's ⋮ menu), the domains whose links the app unfurls, the name.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const manifestSchema = z.looseObject({
  display_information: z.looseObject({ name: z.string() }),
  features: z.looseObject({
    bot_user: z.looseObject({ display_name: z.string() }).optional(),
    slash_commands: z
      .array(z.looseObject({ command: z.string(), description: z.string(), usage_hint: z.string().optional() }))
      .default([]),
    shortcuts: z
      .array(z.looseObject({ name: z.string(), type: z.enum(['message', 'global']), callback_id: z.string() }))
      .default([]),
    unfurl_domains: z.array(z.string()).default([]),
  }),
});

export interface ManifestFeatures {
  appName: string;
  commands: Array<{ command: string; description: string; usageHint: string }>;
  messageShortcuts: Array<{ name: string; callbackId: string }>;
  unfurlDomains: string[];
}

export function readManifestFeatures(path: string): ManifestFeatures {
  const manifest = manifestSchema.parse(parse(readFileSync(path, 'utf8')));
  const { features } = manifest;
  return {
    appName: features.bot_user?.display_name ?? manifest.display_information.name,
    commands: features.slash_commands.map((c) => ({
      command: c.command,
      description: c.description,
      usageHint: c.usage_hint ?? '',
    })),
    messageShortcuts: features.shortcuts
      .filter((s) => s.type === 'message')
      .map((s) => ({ name: s.name, callbackId: s.callback_id })),
    unfurlDomains: features.unfurl_domains,
  };
}

/**
 * The links of a message Slack tells the app about: those on its unfurl domains or their subdomains
 * (https://docs.slack.dev/reference/events/link_shared).
 */
export function unfurlableLinks(text: string, domains: readonly string[]): string[] {
  const links = [...text.matchAll(/<(https?:\/\/[^>|\s]+)(?:\|[^>]*)?>/g)].flatMap((m) => (m[1] ? [m[1]] : []));
  return [...new Set(links)].filter((link) => {
    const host = new URL(link).hostname;
    return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
  });
}
