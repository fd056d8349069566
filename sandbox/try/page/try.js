// The try page: plays Slack's client for the sandbox's people. It reads what Slack would show the person
// (GET /api/state) and sends what they do (POST /api/act), which the page's server turns into exactly what
// Slack would send the app. No logic of the app lives here.
import { renderBlocks, textHtml } from './block-kit.js';
import { escapeHtml, renderMrkdwn, svgImage } from './mrkdwn.js';

const EYE =
  '<path d="M4 32c8-13 17-20 28-20s20 7 28 20c-8 13-17 20-28 20S12 45 4 32z" fill="none" stroke="#616061" stroke-width="5"/><circle cx="32" cy="32" r="9" fill="#616061"/>';
const BUBBLE =
  '<path d="M10 12h44a4 4 0 0 1 4 4v26a4 4 0 0 1-4 4H26l-12 10V46h-4a4 4 0 0 1-4-4V16a4 4 0 0 1 4-4z" fill="none" stroke="#616061" stroke-width="5" stroke-linejoin="round"/>';

const POLL_MS = 400;
const $ = (id) => document.getElementById(id);

let world;
let me;
/** { kind: 'channel', id } or { kind: 'app', tab: 'home' | 'messages' } */
let place;
/** The thread open on the right: { channel, ts }. */
let thread;
let state;
/** What the person entered in each view's inputs, by view id then block id (kept across the app's updates). */
const entered = new Map();
let modalErrors = {};
let busy = 0;
const drawn = {};

const names = {
  user: (id) =>
    id === world.app.botUserId ? world.app.name : (world.people.find((p) => p.userId === id)?.handle ?? undefined),
  channel: (id) => world.channels.find((c) => c.id === id)?.name ?? (id === myDm() ? `${world.app.name}` : undefined),
};

const myDm = () => world.people.find((p) => p.userId === me)?.dm;

async function act(body) {
  busy += 1;
  document.body.classList.add('busy');
  try {
    const response = await fetch('/api/act', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: me, ...body }),
    });
    const outcome = await response.json();
    if (outcome.ok === false && outcome.error) toast(outcome.error);
    return outcome;
  } catch (error) {
    toast(`The try page's server does not answer (${error}). Is npm run try still running?`);
    return { ok: false };
  } finally {
    busy -= 1;
    if (busy === 0) document.body.classList.remove('busy');
    refresh();
  }
}

function toast(text) {
  const node = $('toast');
  node.textContent = text;
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    node.hidden = true;
  }, 8000);
}

// --- Reading ---------------------------------------------------------------------------------------

let refreshing = false;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    const response = await fetch(`/api/state?as=${encodeURIComponent(me)}`);
    if (response.ok) {
      state = await response.json();
      render();
    }
  } catch {
    // The server stopped (Ctrl-C): the page keeps what it showed.
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

/** Redraws a part only when what it shows changed, so typing, focus and scroll survive the polling. */
function once(part, key, draw) {
  if (drawn[part] === key) return;
  drawn[part] = key;
  keepingFocus(draw);
}

/**
 * Redraws, then puts the cursor back where it was when the input is still there (same block and action
 * ids): the app updating a modal while the person types does not take the cursor away, as in Slack.
 */
function keepingFocus(draw) {
  const active = document.activeElement;
  const blockId = active?.closest?.('[data-block-id]')?.dataset.blockId;
  const actionId = active?.dataset?.actionId;
  const selection =
    typeof active?.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : undefined;
  draw();
  if (!blockId || document.activeElement === active) return;
  const again = document.querySelector(
    `[data-block-id="${CSS.escape(blockId)}"] [data-action-id="${CSS.escape(actionId ?? '')}"]`,
  );
  if (!again) return;
  again.focus();
  try {
    if (selection) again.setSelectionRange(...selection);
  } catch {
    // Email and number inputs have no selection to restore.
  }
}

function render() {
  markSeen();
  once('sidebar', JSON.stringify([me, place, unread()]), renderSidebar);
  const messages = state.messages;
  if (place.kind === 'channel' || place.tab === 'messages') {
    const channel = place.kind === 'channel' ? place.id : myDm();
    const shown = messages.filter((m) => m.channel === channel);
    once('conversation', JSON.stringify([me, place, shown]), () => renderConversation(channel, shown));
  } else {
    once('conversation', JSON.stringify([me, place, state.home]), renderHome);
  }
  const threadShown = thread
    ? messages.filter((m) => m.channel === thread.channel && (m.ts === thread.ts || m.threadTs === thread.ts))
    : [];
  once('thread', JSON.stringify([me, thread, threadShown]), () => renderThread(threadShown));
  const modal = state.modal;
  once('modal', JSON.stringify([me, modal?.view.id, modal?.view.hash, modal?.depth, modalErrors]), () =>
    renderModal(modal),
  );
  once('flex', JSON.stringify(state.flex), renderFlex);
  once('log', String(state.log.at(-1)?.seq ?? 0), renderLog);
  once('requests', String(state.requests.at(-1)?.seq ?? 0), renderRequests);
}

// --- The sidebar -----------------------------------------------------------------------------------

/** The newest message ts each person has seen in each conversation (what was there when the page opened counts as seen). */
const seen = new Map();

const newer = (a, b) => {
  const [as, af] = a.split('.').map(Number);
  const [bs, bf] = b.split('.').map(Number);
  return as - bs || af - bf;
};

function conversationIds() {
  return [...world.channels.map((c) => c.id), myDm()];
}

function latestIn(channel) {
  return state.messages
    .filter((m) => m.channel === channel && m.user !== me)
    .reduce((latest, m) => (newer(m.ts, latest) > 0 ? m.ts : latest), '0.0');
}

function markSeen() {
  let mine = seen.get(me);
  if (!mine) {
    mine = new Map(conversationIds().map((id) => [id, latestIn(id)]));
    seen.set(me, mine);
  }
  const open = place.kind === 'channel' ? place.id : place.tab === 'messages' ? myDm() : undefined;
  if (open) mine.set(open, latestIn(open));
  if (thread) mine.set(thread.channel, latestIn(thread.channel));
}

/** How many messages (not the person's own) each conversation got since they last looked. */
function unread() {
  const mine = seen.get(me);
  return Object.fromEntries(
    conversationIds().map((id) => [
      id,
      state.messages.filter((m) => m.channel === id && m.user !== me && newer(m.ts, mine?.get(id) ?? '0.0') > 0).length,
    ]),
  );
}

function badge(count) {
  return count > 0 ? `<span class="badge">${count}</span>` : '';
}

function renderSidebar() {
  const counts = unread();
  $('workspace').textContent = `${world.team.domain}.slack.com`;
  const channels = $('channels');
  channels.replaceChildren(
    ...world.channels.map((channel) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = place.kind === 'channel' && place.id === channel.id ? 'active' : '';
      button.innerHTML = `# ${escapeHtml(channel.name)}${badge(counts[channel.id])}`;
      if (counts[channel.id] > 0) button.classList.add('unread');
      button.title = channel.botIsMember
        ? `${world.app.name} is in #${channel.name}`
        : `${world.app.name} is not in #${channel.name}`;
      button.addEventListener('click', () => go({ kind: 'channel', id: channel.id }));
      item.append(button);
      return item;
    }),
  );
  const apps = $('apps');
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = place.kind === 'app' ? 'active' : '';
  button.innerHTML = `<span class="app-icon">QM</span> ${escapeHtml(world.app.name)}${badge(counts[myDm()])}`;
  if (counts[myDm()] > 0) button.classList.add('unread');
  button.addEventListener('click', () => go({ kind: 'app', tab: 'home' }));
  item.append(button);
  apps.replaceChildren(item);
}

function go(next) {
  // Another conversation: its thread closes, as in Slack when the thread's channel is left.
  if (thread && !(next.kind === 'channel' && next.id === thread.channel)) thread = undefined;
  place = next;
  drawn.conversation = undefined;
  renderComposerPlaceholder();
  if (next.kind === 'app' && next.tab === 'home') act({ kind: 'home' });
  if (state) render();
}

function renderComposerPlaceholder() {
  const text = $('composer-text');
  if (place.kind === 'channel') {
    const channel = world.channels.find((c) => c.id === place.id);
    text.placeholder = `Message #${channel?.name ?? place.id} (try ${world.commands[0]?.command ?? '/'} help)`;
  } else {
    text.placeholder = `Message ${world.app.name} (slash commands work here too)`;
  }
  $('composer').hidden = place.kind === 'app' && place.tab === 'home';
  const title = $('conversation-title');
  const tabs = $('conversation-tabs');
  if (place.kind === 'channel') {
    const channel = world.channels.find((c) => c.id === place.id);
    title.innerHTML = `# ${escapeHtml(channel?.name ?? place.id)}${channel?.botIsMember ? '' : ` <span class="muted">(${escapeHtml(world.app.name)} is not in this channel)</span>`}`;
    tabs.replaceChildren();
  } else {
    title.innerHTML = `<span class="app-icon">QM</span> ${escapeHtml(world.app.name)}`;
    tabs.replaceChildren(
      ...['home', 'messages'].map((tab) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = tab === 'home' ? 'Home' : 'Messages';
        button.className = place.tab === tab ? 'active' : '';
        button.addEventListener('click', () => go({ kind: 'app', tab }));
        return button;
      }),
    );
  }
}

// --- Messages --------------------------------------------------------------------------------------

function author(message) {
  if (message.user === 'USLACKBOT') return { name: 'Slackbot', initials: 'S', app: false, color: '#4a154b' };
  if (message.botId || message.user === world.app.botUserId) {
    return { name: world.app.name, initials: 'QM', app: true, color: '#1f3a5f' };
  }
  const person = world.people.find((p) => p.userId === message.user);
  const colors = ['#e8912d', '#2eb67d', '#36c5f0', '#e01e5a', '#611f69'];
  const index = world.people.indexOf(person);
  return {
    name: person?.name ?? message.user ?? 'someone',
    initials: (person?.name ?? '?').slice(0, 1),
    app: false,
    color: colors[index % colors.length] ?? '#616061',
  };
}

function timeOf(ts) {
  const date = new Date(Number(ts.split('.')[0]) * 1000);
  return date.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
}

const isReply = (m) => m.threadTs !== undefined && m.threadTs !== m.ts;

function blockContext(where, viewId) {
  return {
    names,
    people: world.people,
    channels: world.channels,
    errors: viewId ? modalErrors : {},
    entered: (blockId) => (viewId ? entered.get(viewId)?.[blockId] : undefined),
    enter: (blockId, value) => {
      if (!viewId) return;
      entered.set(viewId, { ...entered.get(viewId), [blockId]: value });
    },
    act: (action) =>
      act({
        kind: 'action',
        where: where.in === 'view' ? { ...where, values: entered.get(viewId) ?? {} } : where,
        ...action,
      }),
  };
}

function renderMessage(message, inThread) {
  const who = author(message);
  const node = document.createElement('div');
  node.className = `message${message.ephemeralFor ? ' ephemeral' : ''}`;
  node.dataset.ts = message.ts;
  node.dataset.channel = message.channel;
  const avatar = document.createElement('div');
  avatar.className = 'avatar';
  avatar.style.background = who.color;
  avatar.textContent = who.initials;
  const main = document.createElement('div');
  main.className = 'message-main';
  const meta = document.createElement('div');
  meta.className = 'message-meta';
  meta.innerHTML = `<span class="author">${escapeHtml(who.name)}</span>${who.app ? '<span class="app-badge">APP</span>' : ''}<span class="time">${escapeHtml(timeOf(message.ts))}</span>${message.editedTs ? '<span class="muted"> (edited)</span>' : ''}`;
  main.append(meta);
  const body = document.createElement('div');
  body.className = 'message-body';
  const where = { in: 'message', channel: message.channel, ts: message.ts };
  if (Array.isArray(message.blocks) && message.blocks.length > 0)
    body.append(renderBlocks(message.blocks, blockContext(where)));
  else body.innerHTML = renderMrkdwn(message.text ?? '', names);
  main.append(body);
  for (const [url, preview] of Object.entries(message.unfurls ?? {})) {
    const unfurl = document.createElement('div');
    unfurl.className = 'unfurl';
    unfurl.dataset.url = url;
    unfurl.append(
      renderBlocks(preview.blocks ?? [], blockContext({ in: 'unfurl', channel: message.channel, ts: message.ts, url })),
    );
    if (!preview.blocks && preview.text) unfurl.innerHTML = renderMrkdwn(preview.text, names);
    main.append(unfurl);
  }
  if (message.ephemeralFor) {
    const note = document.createElement('div');
    note.className = 'ephemeral-note';
    note.innerHTML = `${svgImage(EYE, 'icon', '')}Only visible to you`;
    main.append(note);
  }
  if (!inThread) {
    const replies = state.messages.filter(
      (m) => m.channel === message.channel && m.threadTs === message.ts && isReply(m),
    );
    if (replies.length > 0) {
      const link = document.createElement('button');
      link.type = 'button';
      link.className = 'replies';
      link.textContent = `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`;
      link.addEventListener('click', () => openThread(message.channel, message.ts));
      main.append(link);
    }
  }
  node.append(avatar, main, hoverActions(message, inThread));
  return node;
}

function hoverActions(message, inThread) {
  const bar = document.createElement('div');
  bar.className = 'hover-actions';
  if (!inThread && !message.ephemeralFor) {
    const reply = document.createElement('button');
    reply.type = 'button';
    reply.title = 'Reply in thread';
    reply.setAttribute('aria-label', 'Reply in thread');
    reply.innerHTML = svgImage(BUBBLE, 'icon', '');
    reply.addEventListener('click', () => openThread(message.channel, message.ts));
    bar.append(reply);
  }
  if (message.ephemeralFor) return bar;
  const more = document.createElement('button');
  more.type = 'button';
  more.title = 'More actions';
  more.setAttribute('aria-label', 'More actions');
  more.className = 'more-actions';
  more.textContent = '⋮';
  more.addEventListener('click', (event) => {
    event.stopPropagation();
    openMenu(more, message);
  });
  bar.append(more);
  return bar;
}

/** The message's ⋮ menu: the app's message shortcuts (from its manifest), and Copy link. */
function openMenu(anchor, message) {
  closeMenu();
  const menu = document.createElement('div');
  menu.className = 'menu';
  menu.setAttribute('role', 'menu');
  const item = (label, detail, run) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'menuitem');
    button.innerHTML = `${escapeHtml(label)}${detail ? `<span class="muted"> ${escapeHtml(detail)}</span>` : ''}`;
    button.addEventListener('click', () => {
      closeMenu();
      run();
    });
    menu.append(button);
  };
  for (const shortcut of world.messageShortcuts) {
    item(shortcut.name, world.app.name, () =>
      act({ kind: 'shortcut', channel: message.channel, ts: message.ts, callbackId: shortcut.callbackId }),
    );
  }
  item('Copy link', '', () => {
    const permalink = `https://${world.team.domain}.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;
    navigator.clipboard?.writeText(permalink).catch(() => {});
    toast(`Copied ${permalink}: paste it after /qm <call> to get the confirmation in this message's thread.`);
  });
  document.body.append(menu);
  const box = anchor.getBoundingClientRect();
  menu.style.top = `${box.bottom + window.scrollY + 4}px`;
  menu.style.left = `${Math.max(8, box.right - menu.offsetWidth)}px`;
  setTimeout(() => document.addEventListener('click', closeMenu, { once: true }));
}

function closeMenu() {
  for (const menu of document.querySelectorAll('.menu')) menu.remove();
}

function renderConversation(channel, shown) {
  const container = $('conversation');
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  const top = shown.filter((m) => !isReply(m));
  const nodes = top.map((m) => renderMessage(m, false));
  if (nodes.length === 0) {
    const empty = document.createElement('div');
    empty.className = 'empty';
    empty.textContent = channel === myDm() ? `Messages from ${world.app.name} to you show here.` : 'No messages yet.';
    nodes.push(empty);
  }
  container.replaceChildren(...nodes);
  if (atBottom || drawn.lastChannel !== channel) container.scrollTop = container.scrollHeight;
  drawn.lastChannel = channel;
}

function renderHome() {
  const container = $('conversation');
  const home = state.home;
  if (!home) {
    container.innerHTML = `<div class="empty">Opening the Home tab… (${escapeHtml(world.app.name)} publishes it when you open it)</div>`;
    return;
  }
  const page = document.createElement('div');
  page.className = 'home';
  page.append(renderBlocks(home.blocks, blockContext({ in: 'view', viewId: home.id }, home.id)));
  container.replaceChildren(page);
}

function openThread(channel, ts) {
  thread = { channel, ts };
  $('thread').hidden = false;
  drawn.thread = undefined;
  render();
}

function renderThread(shown) {
  if (!thread) {
    $('thread').hidden = true;
    return;
  }
  const container = $('thread-messages');
  const parent = shown.find((m) => m.ts === thread.ts);
  const replies = shown.filter((m) => m.ts !== thread.ts);
  const nodes = [];
  if (parent) nodes.push(renderMessage(parent, true));
  const count = document.createElement('div');
  count.className = 'thread-count';
  count.textContent = `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`;
  nodes.push(count, ...replies.map((m) => renderMessage(m, true)));
  container.replaceChildren(...nodes);
}

// --- Modals ----------------------------------------------------------------------------------------

function renderModal(modal) {
  const layer = $('modal-layer');
  if (!modal) {
    layer.hidden = true;
    layer.replaceChildren();
    return;
  }
  const { view, depth } = modal;
  const box = document.createElement('div');
  box.className = 'modal';
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-modal', 'true');
  box.dataset.viewId = view.id;
  box.dataset.callbackId = view.callback_id;
  const header = document.createElement('div');
  header.className = 'modal-header';
  header.innerHTML = `<span class="app-icon">QM</span><h2>${textHtml(view.title, { names })}</h2>`;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'icon-button modal-x';
  close.setAttribute('aria-label', 'Close');
  close.textContent = '✕';
  close.addEventListener('click', () => closeModal(view, true));
  header.append(close);
  box.setAttribute('aria-label', header.querySelector('h2').textContent);
  const body = document.createElement('div');
  body.className = 'modal-body';
  body.append(renderBlocks(view.blocks, blockContext({ in: 'view', viewId: view.id }, view.id)));
  const footer = document.createElement('div');
  footer.className = 'modal-footer';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'bk-button';
  cancel.innerHTML = view.close ? textHtml(view.close, { names }) : depth > 1 ? 'Back' : 'Cancel';
  cancel.addEventListener('click', () => closeModal(view, false));
  footer.append(cancel);
  if (view.submit) {
    const submit = document.createElement('button');
    submit.type = 'button';
    submit.className = 'bk-button bk-primary modal-submit';
    submit.innerHTML = textHtml(view.submit, { names });
    submit.addEventListener('click', async () => {
      submit.disabled = true;
      const outcome = await act({ kind: 'submit', viewId: view.id, values: entered.get(view.id) ?? {} });
      modalErrors = outcome.errors ?? {};
      submit.disabled = false;
      drawn.modal = undefined;
      render();
    });
    footer.append(submit);
  }
  box.append(header, body, footer);
  layer.replaceChildren(box);
  layer.hidden = false;
}

function closeModal(view, all) {
  modalErrors = {};
  act({ kind: 'close', viewId: view.id, all });
}

// --- Behind the scenes -----------------------------------------------------------------------------

function renderFlex() {
  const { comments, answers } = state.flex;
  const container = $('behind-flex');
  const commentCards = [...comments].reverse().map(
    (c) => `<div class="flex-card" data-assessment="${escapeHtml(c.assessment_sid)}">
      <div><span class="tag">${escapeHtml(c.comment.category.name)}</span> <span class="muted">at ${escapeHtml(c.offset)} s</span></div>
      <div class="flex-comment">${escapeHtml(c.comment.comment)}</div>
      <div class="muted small">segment ${escapeHtml(c.segment_id)}<br>agent ${escapeHtml(c.agent_id)} · author ${escapeHtml(c.user_name ?? '(the Twilio account)')}<br>${escapeHtml(c.assessment_sid)}</div>
    </div>`,
  );
  const answerRows = [...answers].reverse().map(
    (a) => `<div class="flex-card">
      <div><span class="tag">${escapeHtml(a.assessment.questionnaire.name)}</span></div>
      <div>${escapeHtml(a.assessment.questionnaire.question.name)}: <b>${escapeHtml(a.answer_text)}</b></div>
      <div class="muted small">segment ${escapeHtml(a.segment_id)} · ${escapeHtml(a.assessment_sid)}</div>
    </div>`,
  );
  container.innerHTML = `
    <p class="muted small">What the fake Flex holds now: what the app created through Flex's API.</p>
    <div class="trouble">Make Flex fail the next comment:
      <button type="button" class="bk-button small-button" data-trouble="refuse">refuse it (400)</button>
      <button type="button" class="bk-button small-button" data-trouble="unavailable">be down (503)</button>
    </div>
    <h3>Comments (${comments.length})</h3>
    <div id="flex-comments">${commentCards.join('') || '<div class="muted">None yet. Leave one with /qm.</div>'}</div>
    <h3>Scorecard answers (${answers.length})</h3>
    <div id="flex-answers">${answerRows.join('') || '<div class="muted">None yet (/qm score).</div>'}</div>`;
  for (const button of container.querySelectorAll('[data-trouble]')) {
    button.addEventListener('click', async () => {
      await act({ kind: 'flex-trouble', trouble: button.dataset.trouble });
      toast(
        `The fake Flex will ${button.dataset.trouble === 'refuse' ? 'refuse' : 'answer 503 to'} the next comment the app posts.`,
      );
    });
  }
}

function scrolledToBottom(node) {
  return node.scrollHeight - node.scrollTop - node.clientHeight < 40;
}

function renderLog() {
  const container = $('behind-log');
  const stay = scrolledToBottom(container);
  container.innerHTML = state.log
    .map((line) => {
      const fields = Object.entries(line.fields)
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' ');
      return `<div class="log-line level-${escapeHtml(line.level)}"><span class="muted">${escapeHtml(line.time.slice(11, 19))}</span> <span class="level">${escapeHtml(line.level)}</span> ${escapeHtml(line.msg)} <span class="muted">${escapeHtml(fields)}</span></div>`;
    })
    .join('');
  if (stay) container.scrollTop = container.scrollHeight;
}

function renderRequests() {
  const container = $('behind-requests');
  const stay = scrolledToBottom(container);
  container.innerHTML = state.requests
    .map(
      (entry) =>
        `<div class="log-line"><span class="muted">${escapeHtml(entry.at.slice(11, 19))}</span> <span class="service service-${escapeHtml(entry.service)}">${escapeHtml(entry.service)}</span> <b>${escapeHtml(entry.request)}</b> <span class="muted">${escapeHtml(entry.detail)}</span> → ${escapeHtml(entry.outcome)}</div>`,
    )
    .join('');
  if (stay) container.scrollTop = container.scrollHeight;
}

// --- The message box -------------------------------------------------------------------------------

function wireComposer(form, textarea, threadTs) {
  const send = async () => {
    const text = textarea.value;
    if (!text.trim()) return;
    textarea.value = '';
    $('command-hint').hidden = true;
    const channel = threadTs ? thread.channel : place.kind === 'channel' ? place.id : myDm();
    await act({ kind: 'type', channel, text, ...(threadTs && thread ? { threadTs: thread.ts } : {}) });
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  });
  if (threadTs) return;
  textarea.addEventListener('input', () => {
    const hint = $('command-hint');
    const typed = textarea.value;
    const matches = typed.startsWith('/')
      ? world.commands.filter((c) => c.command.startsWith(typed.split(/\s/)[0]))
      : [];
    hint.hidden = matches.length === 0;
    hint.innerHTML = matches
      .map(
        (c) =>
          `<div><b>${escapeHtml(c.command)}</b> <span class="muted">${escapeHtml(c.usageHint)}</span><div class="small">${escapeHtml(c.description)} · ${escapeHtml(world.app.name)}</div></div>`,
      )
      .join('');
  });
}

function renderTip() {
  const chips = [
    ...world.commands.map((c) => `${c.command} help`),
    ...world.calls.slice(0, 1).map((call) => `${world.commands[0]?.command ?? '/qm'} ${call.segmentId} 1:23`),
    ...world.calls.slice(2, 3).map((call) => `Have a look at ${call.link}`),
  ];
  $('tip').innerHTML = `<div class="tip-title">Try</div>${chips
    .map(
      (chip) =>
        `<button type="button" class="chip" data-text="${escapeHtml(chip)}">${escapeHtml(chip.length > 44 ? `${chip.slice(0, 43)}…` : chip)}</button>`,
    )
    .join(
      '',
    )}<div class="tip-more">Hover a message with a call link and use <b>⋮</b> → ${escapeHtml(world.messageShortcuts[0]?.name ?? '')}. Switch who you are at the top: an agent, an admin, or someone the app does not know.</div>`;
  for (const chip of $('tip').querySelectorAll('.chip')) {
    chip.addEventListener('click', () => {
      if (place.kind === 'app' && place.tab === 'home') go({ kind: 'channel', id: world.channels[0].id });
      const text = $('composer-text');
      text.value = chip.dataset.text;
      text.focus();
      text.dispatchEvent(new Event('input'));
    });
  }
}

// --- Start -----------------------------------------------------------------------------------------

async function start() {
  world = await (await fetch('/api/world')).json();
  const who = $('who');
  for (const person of world.people) {
    const option = document.createElement('option');
    option.value = person.userId;
    option.textContent = `${person.name} (@${person.handle}) · ${person.role}`;
    who.append(option);
  }
  const asked = new URLSearchParams(location.search).get('as');
  me =
    world.people.find((p) => p.userId === asked || p.handle === asked)?.userId ??
    world.people.find((p) => p.role === 'reviewer')?.userId ??
    world.people[0].userId;
  who.value = me;
  who.addEventListener('change', () => {
    me = who.value;
    thread = undefined;
    modalErrors = {};
    for (const key of Object.keys(drawn)) drawn[key] = undefined;
    go({ kind: 'channel', id: world.channels[0].id });
  });
  place = { kind: 'channel', id: world.channels[0].id };
  renderComposerPlaceholder();
  renderTip();
  wireComposer($('composer'), $('composer-text'), false);
  wireComposer($('thread-composer'), $('thread-text'), true);
  $('thread-close').addEventListener('click', () => {
    thread = undefined;
    render();
  });
  for (const tab of document.querySelectorAll('.behind-tabs button')) {
    tab.addEventListener('click', () => {
      for (const other of document.querySelectorAll('.behind-tabs button'))
        other.classList.toggle('active', other === tab);
      for (const name of ['flex', 'log', 'requests']) $(`behind-${name}`).hidden = name !== tab.dataset.tab;
    });
  }
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state?.modal) closeModal(state.modal.view, true);
  });
  await refresh();
  document.body.dataset.ready = 'true';
  setInterval(refresh, POLL_MS);
}

start();
