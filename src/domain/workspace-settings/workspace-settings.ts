import { Cron } from 'croner';
/**
 * A workspace's own digest and feedback settings (#18): what a QM admin saved on the Home tab, over the app's
 * environment settings, which are the defaults (for the single workspace of SLACK_BOT_TOKEN, and for any
 * workspace that has not saved its own).
 */

/** What a workspace saved; undefined: the default. A digest channel of "" is "no digest channel". */
export interface SavedWorkspaceSettings {
  feedbackDms?: boolean | undefined;
  digestChannelId?: string | undefined;
  digestCron?: string | undefined;
  digestTimeZone?: string | undefined;
  agentSummaries?: boolean | undefined;
  /** Team name → channel id; an empty map is "no team digests". */
  digestTeamChannels?: ReadonlyMap<string, string> | undefined;
}

/** The settings in force for one workspace. */
export interface WorkspaceSettings {
  feedbackDms: boolean;
  digestChannelId: string | undefined;
  digestCron: string;
  digestTimeZone: string;
  agentSummaries: boolean;
  /** Teams with a digest of their own, in their own channel: team name → channel id. */
  digestTeamChannels: ReadonlyMap<string, string>;
}

/** The most teams the settings form offers a channel for (a modal holds 100 blocks; the form stays short). */
export const MAX_TEAM_CHANNELS = 40;

/** The database side (WorkspaceSettingsRepository); `workspaceKey` "" is the single workspace. */
export interface WorkspaceSettingsStore {
  find(workspaceKey: string): Promise<SavedWorkspaceSettings | undefined>;
  save(workspaceKey: string, settings: Required<SavedWorkspaceSettings>, updatedBy: string): Promise<void>;
}

/** The settings in force: the saved ones over the defaults. */
export function settingsInForce(
  defaults: WorkspaceSettings,
  saved: SavedWorkspaceSettings | undefined,
): WorkspaceSettings {
  const channel = saved?.digestChannelId;
  return {
    feedbackDms: saved?.feedbackDms ?? defaults.feedbackDms,
    digestChannelId: channel === undefined ? defaults.digestChannelId : channel === '' ? undefined : channel,
    digestCron: saved?.digestCron ?? defaults.digestCron,
    digestTimeZone: saved?.digestTimeZone ?? defaults.digestTimeZone,
    agentSummaries: saved?.agentSummaries ?? defaults.agentSummaries,
    digestTeamChannels: saved?.digestTeamChannels ?? defaults.digestTeamChannels,
  };
}

/** Reads a workspace's settings from the database each time (no cache: an admin's change holds at once). */
export class WorkspaceSettingsReader {
  constructor(
    private readonly store: WorkspaceSettingsStore,
    /** The defaults of a workspace: the environment's for the single workspace, or for every installed one. */
    private readonly defaultsOf: (workspaceKey: string) => WorkspaceSettings,
  ) {}

  async of(workspaceKey: string | undefined): Promise<WorkspaceSettings> {
    const key = workspaceKey ?? '';
    return settingsInForce(this.defaultsOf(key), await this.store.find(key));
  }

  save(workspaceKey: string | undefined, settings: Required<SavedWorkspaceSettings>, updatedBy: string): Promise<void> {
    return this.store.save(workspaceKey ?? '', settings, updatedBy);
  }
}

/** Why a cron expression cannot be a digest's schedule (croner's reading), or undefined when it can. */
export function cronProblem(cron: string): string | undefined {
  if (cron.trim() === '') return 'Give a cron expression such as 0 9 * * 1 (Mondays 09:00).';
  try {
    new Cron(cron, { paused: true });
    return undefined;
  } catch {
    return 'Not a cron expression: give 5 fields (minute hour day-of-month month day-of-week), such as 0 9 * * 1.';
  }
}

/** Why a time zone cannot be read, or undefined when it is an IANA zone this runtime knows. */
export function timeZoneProblem(timeZone: string): string | undefined {
  try {
    if (timeZone.trim() === '') throw new Error('empty');
    new Intl.DateTimeFormat('en', { timeZone });
    return undefined;
  } catch {
    return 'Not a time zone: give an IANA zone such as Europe/Berlin, America/New_York or UTC.';
  }
}

/**
 * The teams the settings form offers a channel for: those with one first, then the others the workspace's
 * agents carry, each by name, at most MAX_TEAM_CHANNELS; `total` counts them all.
 */
export function teamsOffered(
  configured: ReadonlyMap<string, string>,
  known: readonly string[],
): { offered: string[]; total: number } {
  const withChannel = [...configured.keys()].sort((a, b) => a.localeCompare(b));
  const others = [...new Set(known)].filter((team) => !configured.has(team)).sort((a, b) => a.localeCompare(b));
  const all = [...withChannel, ...others];
  return { offered: all.slice(0, MAX_TEAM_CHANNELS), total: all.length };
}

/**
 * The team channels to save from the form's answers: the offered teams as chosen (none: no digest of its
 * own), and any team with a channel the form did not list kept as it was.
 */
export function teamChannelsChosen(
  configured: ReadonlyMap<string, string>,
  offered: readonly string[],
  chosen: ReadonlyArray<string | null | undefined>,
): Map<string, string> {
  const result = new Map([...configured].filter(([team]) => !offered.includes(team)));
  offered.forEach((team, index) => {
    const channel = chosen[index];
    if (channel) result.set(team, channel);
  });
  return result;
}
