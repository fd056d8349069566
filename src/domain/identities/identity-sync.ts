/**
 * Sync of identities from Flex: TaskRouter workers (keyed by worker SID) matched to Slack users by
 * email. Pure decisions over ports; the database, TaskRouter and Slack are adapters.
 */

export interface SyncWorker {
  sid: string;
  friendlyName: string;
  email: string;
  fullName: string;
  agentId: string | undefined;
  /** The agent's team in Flex (`team_name`), when the worker has one. */
  teamName?: string | undefined;
}

export interface SyncBrokenWorker {
  sid: string;
  friendlyName: string;
  problem: string;
}

/** An identity as the sync sees it, inactive ones included. */
export interface SyncIdentity {
  id: string;
  email: string;
  flexUserName: string;
  agentId: string | null;
  teamName?: string | null;
  flexWorkerSid: string | null;
  slackTeamId: string | null;
  slackUserId: string | null;
  active: boolean;
}

export interface SlackUserRef {
  teamId: string;
  userId: string;
}

/** What one identity becomes; absent fields stay as they are. Roles are never touched. */
export interface IdentityChange {
  /** Undefined: a new identity (with role none). */
  id: string | undefined;
  email: string;
  flexUserName: string;
  flexWorkerSid: string;
  agentId?: string;
  /** The worker's team; null when Flex no longer gives one. */
  teamName?: string | null;
  slack?: SlackUserRef;
  active: true;
}

export interface SyncPorts {
  listWorkers(): Promise<{ workers: SyncWorker[]; broken: SyncBrokenWorker[] }>;
  listIdentities(): Promise<SyncIdentity[]>;
  /** The Slack user with this email, or null when Slack has none (or only a deactivated or bot user). */
  lookupSlackUser(email: string): Promise<SlackUserRef | null>;
  /** Applies every change and deactivation at once, and stores the report as the last sync's. */
  apply(changes: IdentityChange[], deactivateIds: string[], report: SyncReport): Promise<void>;
  now?: () => Date;
}

export interface SyncReport {
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  workers: number;
  /** Flex workers linked to a Slack user after this run. */
  matched: Array<{ email: string; workerSid: string; slackUserId: string }>;
  /** What this run changed (or would change, in a dry run). */
  added: Array<{ email: string; workerSid: string }>;
  updated: Array<{ email: string; workerSid: string; changes: string[] }>;
  deactivated: Array<{ email: string; workerSid: string }>;
  /** Flex workers with no Slack user of that email. */
  flexWithoutSlack: Array<{ email: string; name: string; workerSid: string }>;
  /** Active identities no Flex worker matches (added by hand or by CSV). */
  notInFlex: Array<{ email: string; slackUserId: string | null }>;
  /** Left alone because the data does not say who is who. */
  ambiguous: Array<{ email: string; workerSids: string[]; reason: string }>;
  /** Workers whose attributes could not be read. */
  broken: SyncBrokenWorker[];
  unchanged: number;
}

const LOOKUP_CONCURRENCY = 4;

/**
 * Reads Flex's workers and brings the identities in line: a worker's identity is found by its SID
 * (so an email change updates, never duplicates), else adopted by email; a worker gone from Flex is
 * deactivated, its assessments staying with it. A dry run decides the same and changes nothing.
 */
export async function syncIdentities(ports: SyncPorts, options: { dryRun: boolean }): Promise<SyncReport> {
  const now = ports.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const [{ workers, broken }, identities] = await Promise.all([ports.listWorkers(), ports.listIdentities()]);

  const report: SyncReport = {
    startedAt,
    finishedAt: startedAt,
    dryRun: options.dryRun,
    workers: workers.length,
    matched: [],
    added: [],
    updated: [],
    deactivated: [],
    flexWithoutSlack: [],
    notInFlex: [],
    ambiguous: [],
    broken,
    unchanged: 0,
  };

  const byEmail = groupBy(workers, (worker) => worker.email);
  const usable: SyncWorker[] = [];
  for (const [email, group] of byEmail) {
    const [only] = group;
    if (group.length === 1 && only) usable.push(only);
    else
      report.ambiguous.push({
        email,
        workerSids: group.map((w) => w.sid),
        reason: `${group.length} Flex workers have this email; give each their own, then sync again`,
      });
  }
  const currentSids = new Set(workers.map((worker) => worker.sid));
  const identityBySid = new Map(identities.filter((i) => i.flexWorkerSid).map((i) => [i.flexWorkerSid, i]));
  const identityByEmail = new Map(identities.map((i) => [i.email, i]));
  const identityBySlack = new Map(
    identities.filter((i) => i.slackUserId).map((i) => [`${i.slackTeamId ?? ''}:${i.slackUserId}`, i]),
  );
  const slackTaken = (user: SlackUserRef, self: SyncIdentity | undefined) => {
    const holder =
      identityBySlack.get(`${user.teamId}:${user.userId}`) ??
      identities.find((i) => i.slackUserId === user.userId && i.slackTeamId === null);
    return holder && holder.id !== self?.id ? holder : undefined;
  };

  // Decide which identity each worker is, before asking Slack anything.
  const plans: Array<{ worker: SyncWorker; identity: SyncIdentity | undefined }> = [];
  const claimed = new Set<string>();
  for (const worker of usable) {
    let identity = identityBySid.get(worker.sid);
    const holder = identityByEmail.get(worker.email);
    if (!identity && holder) {
      if (holder.flexWorkerSid && currentSids.has(holder.flexWorkerSid)) {
        report.ambiguous.push({
          email: worker.email,
          workerSids: [worker.sid, holder.flexWorkerSid],
          reason: `the identity with this email belongs to another Flex worker (${holder.flexWorkerSid})`,
        });
        continue;
      }
      identity = holder;
    }
    if (identity && holder && holder.id !== identity.id) {
      report.ambiguous.push({
        email: worker.email,
        workerSids: [worker.sid],
        reason: `the worker's new email is already another identity's; remove one of them (npm run identities -- remove ${worker.email}) and sync again`,
      });
      continue;
    }
    if (identity) claimed.add(identity.id);
    plans.push({ worker, identity });
  }

  // Slack is asked only about people not linked yet, or whose email changed (Tier 3: 50+ a minute).
  const slackOf = new Map<string, SlackUserRef | null>();
  const toLookUp = plans.filter(
    ({ worker, identity }) => !identity?.slackUserId || !identity.active || identity.email !== worker.email,
  );
  await eachLimited(toLookUp, LOOKUP_CONCURRENCY, async ({ worker }) => {
    slackOf.set(worker.email, await ports.lookupSlackUser(worker.email));
  });

  const changes: IdentityChange[] = [];
  for (const { worker, identity } of plans) {
    const found = slackOf.get(worker.email);
    let slack: SlackUserRef | undefined;
    const linkedBefore =
      identity?.slackUserId && identity.active
        ? { teamId: identity.slackTeamId ?? '', userId: identity.slackUserId }
        : undefined;
    if (found && (!linkedBefore || linkedBefore.userId !== found.userId)) {
      const other = slackTaken(found, identity);
      if (other) {
        report.ambiguous.push({
          email: worker.email,
          workerSids: [worker.sid],
          reason: `its Slack user <@${found.userId}> is already linked to ${other.email}`,
        });
      } else slack = found;
    }
    const slackAfter = slack ?? linkedBefore;
    if (slackAfter) report.matched.push({ email: worker.email, workerSid: worker.sid, slackUserId: slackAfter.userId });
    else report.flexWithoutSlack.push({ email: worker.email, name: worker.fullName, workerSid: worker.sid });

    const change: IdentityChange = {
      id: identity?.id,
      email: worker.email,
      flexUserName: worker.fullName,
      flexWorkerSid: worker.sid,
      ...(worker.agentId ? { agentId: worker.agentId } : {}),
      teamName: worker.teamName ?? null,
      ...(slack ? { slack } : {}),
      active: true,
    };
    if (!identity) {
      report.added.push({ email: worker.email, workerSid: worker.sid });
      changes.push(change);
      continue;
    }
    const what = describeChanges(identity, change);
    if (what.length === 0) {
      report.unchanged += 1;
      continue;
    }
    report.updated.push({ email: worker.email, workerSid: worker.sid, changes: what });
    changes.push(change);
  }

  // An empty answer from Flex while identities came from it is far likelier a wrong workspace than everyone leaving.
  const deactivate =
    workers.length === 0 && broken.length === 0
      ? []
      : identities.filter(
          (i) => i.active && i.flexWorkerSid && !currentSids.has(i.flexWorkerSid) && !claimed.has(i.id),
        );
  for (const identity of deactivate) {
    report.deactivated.push({ email: identity.email, workerSid: identity.flexWorkerSid ?? '' });
  }
  const workerEmails = new Set(workers.map((w) => w.email));
  for (const identity of identities) {
    if (identity.active && !identity.flexWorkerSid && !claimed.has(identity.id) && !workerEmails.has(identity.email)) {
      report.notInFlex.push({ email: identity.email, slackUserId: identity.slackUserId });
    }
  }

  report.finishedAt = now().toISOString();
  if (!options.dryRun) {
    await ports.apply(
      changes,
      deactivate.map((i) => i.id),
      report,
    );
  }
  return report;
}

function describeChanges(identity: SyncIdentity, change: IdentityChange): string[] {
  const what: string[] = [];
  if (!identity.active) what.push('reactivated');
  if (identity.email !== change.email) what.push(`email ${identity.email} → ${change.email}`);
  if (identity.flexUserName !== change.flexUserName)
    what.push(`name ${identity.flexUserName} → ${change.flexUserName}`);
  if (change.agentId !== undefined && identity.agentId !== change.agentId) {
    what.push(`agent id ${identity.agentId ?? '-'} → ${change.agentId}`);
  }
  if (change.teamName !== undefined && (identity.teamName ?? null) !== change.teamName) {
    what.push(`team ${identity.teamName ?? '-'} → ${change.teamName ?? '-'}`);
  }
  if (identity.flexWorkerSid !== change.flexWorkerSid) what.push(`Flex worker ${change.flexWorkerSid}`);
  if (change.slack) what.push(`linked to Slack user ${change.slack.userId}`);
  return what;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(runners);
}

/** The report in plain lines, for the CLI and logs. */
export function formatSyncReport(report: SyncReport): string {
  const lines: string[] = [];
  const counts = report.dryRun
    ? `it would add ${report.added.length}, update ${report.updated.length} and deactivate ${report.deactivated.length}; ${report.unchanged} would stay unchanged`
    : `added ${report.added.length}, updated ${report.updated.length}, deactivated ${report.deactivated.length}, unchanged ${report.unchanged}`;
  lines.push(
    `${report.dryRun ? 'Dry run: nothing was changed.\n' : ''}Flex workers: ${report.workers}; matched to Slack: ${report.matched.length}; ${counts}`,
  );
  const section = (title: string, rows: string[]) => {
    if (rows.length > 0) lines.push(`\n${title} (${rows.length}):`, ...rows.map((row) => `  ${row}`));
  };
  section(
    report.dryRun ? 'Would add' : 'Added',
    report.added.map((a) => `${a.email} (${a.workerSid})`),
  );
  section(
    report.dryRun ? 'Would update' : 'Updated',
    report.updated.map((u) => `${u.email}: ${u.changes.join('; ')}`),
  );
  section(
    report.dryRun
      ? 'Would deactivate (gone from Flex; their assessments are kept)'
      : 'Deactivated (gone from Flex; their assessments are kept)',
    report.deactivated.map((d) => `${d.email} (${d.workerSid})`),
  );
  section(
    'In Flex, no Slack user with that email (they can use /qm link, or fix the email in Slack or Flex)',
    report.flexWithoutSlack.map((f) => `${f.email} (${f.name}, ${f.workerSid})`),
  );
  section(
    'Identities not in Flex (kept; remove them with npm run identities -- remove EMAIL if they left)',
    report.notInFlex.map((n) => `${n.email}${n.slackUserId ? ` (Slack ${n.slackUserId})` : ''}`),
  );
  section(
    'Ambiguous, left alone',
    report.ambiguous.map((a) => `${a.email} [${a.workerSids.join(', ')}]: ${a.reason}`),
  );
  section(
    'Flex workers with unreadable attributes (fix them in TaskRouter)',
    report.broken.map((b) => `${b.sid}${b.friendlyName ? ` (${b.friendlyName})` : ''}: ${b.problem}`),
  );
  return lines.join('\n');
}
