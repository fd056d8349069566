/** Modals and Home tabs as Slack holds them: trigger exchange, view stacks, hashes, per-user Home. */
import { randomBytes } from 'node:crypto';
import { normalizeStored, viewProblems } from './block-kit-rules.js';
import { failure, invalidArguments, isObject, type Json, slackId, stringArg } from './wire.js';

export const TRIGGER_TTL_MS = 3_000;
/** Slack documents 250 kB; the fake counts bytes of the view's JSON, as sent. */
export const MAX_VIEW_BYTES = 250_000;
/** A root modal and two pushed ones. */
const MAX_STACK = 3;

/** A view as Slack returns it from views.* and sends it in interaction payloads. */
export interface SlackView extends Json {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  callback_id: string;
  private_metadata: string;
  external_id: string;
  hash: string;
  title?: Json;
  submit: Json | null;
  close: Json | null;
  blocks: Json[];
  state: { values: Record<string, Record<string, Json>> };
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export interface ViewOwner {
  readonly teamId: string;
  readonly appId: string;
  readonly botId: string;
  now(): number;
}

interface Trigger {
  issuedAt: number;
  used: boolean;
  /** The view the interaction happened in; views.push stacks onto its stack. */
  viewId?: string;
}

export class ViewStore {
  private readonly triggers = new Map<string, Trigger>();
  private readonly views = new Map<string, SlackView>();
  /** Root view id → the ids in its stack, root first. */
  private readonly stacks = new Map<string, string[]>();
  private readonly homes = new Map<string, string>();
  private triggerCount = 0;
  private lastRootId: string | undefined;

  constructor(private readonly owner: ViewOwner) {}

  issueTrigger(viewId?: string): string {
    this.triggerCount += 1;
    const id = `${this.triggerCount}.${Math.floor(this.owner.now() / 1000)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { issuedAt: this.owner.now(), used: false, ...(viewId ? { viewId } : {}) });
    return id;
  }

  get(id: string): SlackView | undefined {
    return this.views.get(id);
  }

  /** Whether this workspace issued the trigger (used or not), so an org-wide token's call finds its workspace. */
  hasTrigger(id: string): boolean {
    return this.triggers.has(id);
  }

  all(): ReadonlyMap<string, SlackView> {
    return new Map(this.views);
  }

  open(args: Json): Json {
    const invalid = this.checkView(args.view, 'modal');
    if (invalid) return invalid;
    const externalId = isObject(args.view) ? stringArg(args.view, 'external_id') : undefined;
    if (externalId && this.findByExternalId(externalId)) return failure('duplicate_external_id');
    const exchanged = this.exchange(args);
    if ('error' in exchanged) return exchanged.error;
    const id = slackId('V');
    const view = this.build(args.view as Json, id, { root: id, previous: null });
    this.stacks.set(id, [id]);
    this.lastRootId = id;
    return { ok: true, view };
  }

  push(args: Json): Json {
    const invalid = this.checkView(args.view, 'modal');
    if (invalid) return invalid;
    const exchanged = this.exchange(args, false);
    if ('error' in exchanged) return exchanged.error;
    const { trigger } = exchanged;
    const rootId = (trigger.viewId && this.views.get(trigger.viewId)?.root_view_id) || this.lastRootId;
    const stack = rootId ? this.stacks.get(rootId) : undefined;
    if (!rootId || !stack) return failure('not_found');
    if (stack.length >= MAX_STACK) return failure('push_limit_reached');
    trigger.used = true;
    const id = slackId('V');
    const view = this.build(args.view as Json, id, { root: rootId, previous: stack.at(-1) ?? null });
    stack.push(id);
    return { ok: true, view };
  }

  update(args: Json): Json {
    const viewId = stringArg(args, 'view_id');
    const externalId = stringArg(args, 'external_id');
    if (!viewId && !externalId)
      return invalidArguments(['missing required field: view_id or external_id [json-pointer:/]']);
    const current = viewId ? this.views.get(viewId) : this.findByExternalId(externalId ?? '');
    if (!current) return failure('not_found');
    const hash = stringArg(args, 'hash');
    if (hash !== undefined && hash !== current.hash) return failure('hash_conflict');
    const invalid = this.checkView(args.view, current.type);
    if (invalid) return invalid;
    // An update that names no external_id keeps the view's, so it can be found by it again.
    const next = args.view as Json;
    const view = this.build(
      stringArg(next, 'external_id') || !current.external_id ? next : { ...next, external_id: current.external_id },
      current.id,
      { root: current.root_view_id, previous: current.previous_view_id },
    );
    return { ok: true, view };
  }

  /** Home tabs have no trigger: one view per user, replaced on each publish under the same id. */
  publish(args: Json): Json {
    const userId = stringArg(args, 'user_id');
    if (!userId) return invalidArguments(['missing required field: user_id [json-pointer:/]']);
    const invalid = this.checkView(args.view, 'home');
    if (invalid) return invalid;
    const currentId = this.homes.get(userId);
    const current = currentId ? this.views.get(currentId) : undefined;
    const hash = stringArg(args, 'hash');
    if (hash !== undefined && current && hash !== current.hash) return failure('hash_conflict');
    const id = currentId ?? slackId('V');
    this.homes.set(userId, id);
    return { ok: true, view: this.build(args.view as Json, id, { root: null, previous: null }) };
  }

  private checkView(view: unknown, surface: 'modal' | 'home'): Json | undefined {
    if (view === undefined) return invalidArguments(['missing required field: view [json-pointer:/]']);
    if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return failure('view_too_large');
    const problems = viewProblems(view, surface);
    return problems.length > 0 ? invalidArguments(problems) : undefined;
  }

  /** Returns the trigger when it may be exchanged, else Slack's error; marks it used unless told not to. */
  private exchange(args: Json, consume = true): { trigger: Trigger } | { error: Json } {
    const triggerId = stringArg(args, 'trigger_id') ?? stringArg(args, 'interactivity_pointer');
    if (!triggerId) return { error: invalidArguments(['missing required field: trigger_id [json-pointer:/]']) };
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return { error: failure('invalid_trigger_id') };
    if (trigger.used) return { error: failure('exchanged_trigger_id') };
    if (this.owner.now() - trigger.issuedAt > TRIGGER_TTL_MS) return { error: failure('expired_trigger_id') };
    if (consume) trigger.used = true;
    return { trigger };
  }

  private findByExternalId(externalId: string): SlackView | undefined {
    for (const view of this.views.values()) if (view.external_id === externalId) return view;
    return undefined;
  }

  private build(input: Json, id: string, placement: { root: string | null; previous: string | null }): SlackView {
    const normalized = normalizeStored(input);
    const str = (key: string) => (typeof normalized[key] === 'string' ? (normalized[key] as string) : '');
    const view: SlackView = {
      ...normalized,
      id,
      team_id: this.owner.teamId,
      type: normalized.type === 'home' ? 'home' : 'modal',
      callback_id: str('callback_id'),
      private_metadata: str('private_metadata'),
      external_id: str('external_id'),
      hash: `${Math.floor(this.owner.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      submit: isObject(normalized.submit) ? normalized.submit : null,
      close: isObject(normalized.close) ? normalized.close : null,
      blocks: Array.isArray(normalized.blocks) ? normalized.blocks.filter(isObject) : [],
      // The fake has nobody typing into inputs, so state is what a fresh or just-updated view shows.
      state: { values: {} },
      clear_on_close: normalized.clear_on_close === true,
      notify_on_close: normalized.notify_on_close === true,
      root_view_id: placement.root,
      previous_view_id: placement.previous,
      app_id: this.owner.appId,
      app_installed_team_id: this.owner.teamId,
      bot_id: this.owner.botId,
    };
    this.views.set(id, view);
    return view;
  }
}
