// Block Kit as a Slack client draws it, from the JSON the app sent, for messages, previews, modals and
// Home tabs. Generic: any block or element the app sends is drawn from its fields, so new surfaces show
// up without changes here. https://docs.slack.dev/reference/block-kit/blocks
import { escapeHtml, renderMrkdwn, renderPlain } from './mrkdwn.js';

/**
 * ctx: {
 *   names: { user(id), channel(id) },
 *   people: [{ userId, name }], channels: [{ id, name }],
 *   entered(blockId): what the person entered in that input, or undefined if untouched,
 *   enter(blockId, value): the person typed or picked in an input block,
 *   act(action): a click or pick Slack would send as block_actions ({ actionId, blockId, value }),
 *   errors: { blockId: message } beside inputs (a view submission's response_action: errors),
 * }
 */
export function renderBlocks(blocks, ctx) {
  const container = document.createElement('div');
  container.className = 'blocks';
  for (const [index, block] of (Array.isArray(blocks) ? blocks : []).entries()) {
    const node = renderBlock(block, ctx, index);
    if (node) container.append(node);
  }
  return container;
}

function el(tag, className, html) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (html !== undefined) node.innerHTML = html;
  return node;
}

/** A text object: mrkdwn or plain_text. */
export function textHtml(text, ctx) {
  if (!text) return '';
  if (typeof text === 'string') return renderMrkdwn(text, ctx.names);
  if (text.type === 'mrkdwn') return renderMrkdwn(text.text ?? '', ctx.names);
  return renderPlain(text.text ?? '', text.emoji !== false);
}

function renderBlock(block, ctx, index) {
  const blockId = block.block_id ?? `b${index}`;
  switch (block.type) {
    case 'header':
      return el('div', 'bk-header', textHtml(block.text, ctx));
    case 'divider':
      return el('hr', 'bk-divider');
    case 'section': {
      const node = el('div', 'bk-section');
      const body = el('div', 'bk-section-body');
      if (block.text) body.append(el('div', 'bk-text', textHtml(block.text, ctx)));
      if (Array.isArray(block.fields)) {
        const fields = el('div', 'bk-fields');
        for (const field of block.fields) fields.append(el('div', 'bk-field', textHtml(field, ctx)));
        body.append(fields);
      }
      node.append(body);
      if (block.accessory) {
        const accessory = el('div', 'bk-accessory');
        accessory.append(renderElement(block.accessory, ctx, { blockId, inInput: false }));
        node.append(accessory);
      }
      return node;
    }
    case 'context': {
      const node = el('div', 'bk-context');
      for (const element of block.elements ?? []) {
        if (element.type === 'image') {
          const img = el('img', 'bk-context-image');
          img.src = element.image_url ?? '';
          img.alt = element.alt_text ?? '';
          node.append(img);
        } else node.append(el('span', 'bk-context-text', textHtml(element, ctx)));
      }
      return node;
    }
    case 'actions': {
      const node = el('div', 'bk-actions');
      for (const element of block.elements ?? []) node.append(renderElement(element, ctx, { blockId, inInput: false }));
      return node;
    }
    case 'input': {
      const node = el('div', 'bk-input');
      node.dataset.blockId = blockId;
      const label = el('label', 'bk-label', textHtml(block.label, ctx));
      if (block.optional) label.append(el('span', 'bk-optional', ' (optional)'));
      node.append(label);
      node.append(
        renderElement(block.element ?? {}, ctx, { blockId, inInput: true, dispatch: block.dispatch_action === true }),
      );
      const error = ctx.errors?.[blockId];
      if (error) node.append(el('div', 'bk-error', escapeHtml(error)));
      if (block.hint) node.append(el('div', 'bk-hint', textHtml(block.hint, ctx)));
      return node;
    }
    case 'image': {
      const node = el('figure', 'bk-image');
      if (block.title) node.append(el('figcaption', 'bk-image-title', textHtml(block.title, ctx)));
      const img = el('img');
      img.src = block.image_url ?? block.slack_file?.url ?? '';
      img.alt = block.alt_text ?? '';
      node.append(img);
      return node;
    }
    case 'rich_text':
      return el('div', 'bk-rich', richText(block.elements ?? [], ctx));
    default:
      return el('div', 'bk-unknown', `Slack would show a <code>${escapeHtml(block.type)}</code> block here.`);
  }
}

function richText(parts, ctx) {
  return parts
    .map((part) => {
      switch (part.type) {
        case 'rich_text_section':
          return `<div>${richText(part.elements ?? [], ctx)}</div>`;
        case 'rich_text_quote':
          return `<blockquote>${richText(part.elements ?? [], ctx)}</blockquote>`;
        case 'rich_text_preformatted':
          return `<pre class="code-block">${richText(part.elements ?? [], ctx)}</pre>`;
        case 'rich_text_list':
          return `<ul>${(part.elements ?? []).map((item) => `<li>${richText(item.elements ?? [], ctx)}</li>`).join('')}</ul>`;
        case 'text': {
          let html = escapeHtml(part.text ?? '').replaceAll('\n', '<br>');
          if (part.style?.bold) html = `<b>${html}</b>`;
          if (part.style?.italic) html = `<i>${html}</i>`;
          if (part.style?.strike) html = `<s>${html}</s>`;
          if (part.style?.code) html = `<code>${html}</code>`;
          return html;
        }
        case 'link':
          return `<a href="${escapeHtml(part.url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(part.text ?? part.url)}</a>`;
        case 'user':
          return `<span class="mention">@${escapeHtml(ctx.names.user(part.user_id) ?? part.user_id)}</span>`;
        case 'channel':
          return `<span class="mention">#${escapeHtml(ctx.names.channel(part.channel_id) ?? part.channel_id)}</span>`;
        case 'emoji':
          return renderPlain(`:${part.name}:`);
        default:
          return '';
      }
    })
    .join('');
}

/** Every option of a select, its groups' options included. */
function optionsOf(element) {
  return [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((group) => group.options ?? [])];
}

function optionNode(option, ctx) {
  const node = document.createElement('option');
  node.value = option.value;
  node.textContent = plainOf(option.text, ctx);
  return node;
}

/** A text object's words without markup, for places that take no HTML (an <option>). */
function plainOf(text) {
  const holder = document.createElement('div');
  holder.innerHTML = renderPlain(typeof text === 'string' ? text : (text?.text ?? ''));
  return holder.textContent ?? '';
}

/**
 * One element. In an input block its value is "entered" (sent with the submission; block_actions only
 * with dispatch_action); elsewhere a click or pick is sent at once as block_actions.
 */
function renderElement(element, ctx, where) {
  const { blockId, inInput } = where;
  const actionId = element.action_id ?? '';
  const send = (value) => ctx.act({ actionId, blockId, ...(value !== undefined ? { value } : {}) });
  const changed = (value) => {
    if (inInput) {
      ctx.enter(blockId, value);
      if (where.dispatch) send(value);
    } else send(value);
  };
  const entered = inInput ? ctx.entered(blockId) : undefined;
  switch (element.type) {
    case 'button': {
      const button = el(
        'button',
        `bk-button${element.style ? ` bk-${element.style}` : ''}`,
        textHtml(element.text, ctx),
      );
      button.type = 'button';
      button.dataset.actionId = actionId;
      button.addEventListener('click', () => {
        if (element.url) window.open(element.url, '_blank', 'noopener');
        send();
      });
      return button;
    }
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const select = el('select', 'bk-select');
      select.dataset.actionId = actionId;
      const placeholder = document.createElement('option');
      placeholder.value = '';
      placeholder.textContent = element.placeholder ? plainOf(element.placeholder) : 'Select an item';
      placeholder.disabled = true;
      select.append(placeholder);
      if (element.type === 'static_select') {
        for (const option of element.options ?? []) select.append(optionNode(option, ctx));
        for (const group of element.option_groups ?? []) {
          const node = document.createElement('optgroup');
          node.label = plainOf(group.label);
          for (const option of group.options ?? []) node.append(optionNode(option, ctx));
          select.append(node);
        }
      } else if (element.type === 'users_select') {
        for (const person of ctx.people) select.append(optionNode({ value: person.userId, text: person.name }, ctx));
      } else if (element.type !== 'external_select') {
        for (const channel of ctx.channels)
          select.append(optionNode({ value: channel.id, text: `#${channel.name}` }, ctx));
      }
      const initial =
        element.initial_option?.value ??
        element.initial_user ??
        element.initial_conversation ??
        element.initial_channel;
      select.value = (typeof entered === 'string' ? entered : initial) ?? '';
      if (select.value === '' || select.selectedIndex < 0) placeholder.selected = true;
      select.addEventListener('change', () => changed(select.value));
      return select;
    }
    case 'multi_static_select':
    case 'multi_users_select':
    case 'multi_conversations_select':
    case 'multi_channels_select': {
      const select = el('select', 'bk-select bk-multi');
      select.multiple = true;
      select.dataset.actionId = actionId;
      const options =
        element.type === 'multi_static_select'
          ? optionsOf(element)
          : element.type === 'multi_users_select'
            ? ctx.people.map((p) => ({ value: p.userId, text: p.name }))
            : ctx.channels.map((c) => ({ value: c.id, text: `#${c.name}` }));
      const chosen = new Set(
        Array.isArray(entered)
          ? entered
          : (element.initial_options?.map((o) => o.value) ??
              element.initial_users ??
              element.initial_conversations ??
              element.initial_channels ??
              []),
      );
      for (const option of options) {
        const node = optionNode(option, ctx);
        node.selected = chosen.has(option.value);
        select.append(node);
      }
      select.addEventListener('change', () => changed([...select.selectedOptions].map((o) => o.value)));
      return select;
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const group = el('div', element.type === 'radio_buttons' ? 'bk-radios' : 'bk-checkboxes');
      const name = `${blockId}-${actionId}-${Math.random().toString(36).slice(2)}`;
      const chosen = new Set(
        entered === undefined
          ? element.type === 'radio_buttons'
            ? [element.initial_option?.value].filter(Boolean)
            : (element.initial_options ?? []).map((o) => o.value)
          : Array.isArray(entered)
            ? entered
            : [entered],
      );
      for (const option of element.options ?? []) {
        const label = el('label', 'bk-choice');
        const input = document.createElement('input');
        input.type = element.type === 'radio_buttons' ? 'radio' : 'checkbox';
        input.name = name;
        input.value = option.value;
        input.checked = chosen.has(option.value);
        input.addEventListener('change', () => {
          const picked = [...group.querySelectorAll('input:checked')].map((i) => i.value);
          changed(element.type === 'radio_buttons' ? (picked[0] ?? null) : picked);
        });
        const text = el('span', 'bk-choice-text', textHtml(option.text, ctx));
        if (option.description) text.append(el('div', 'bk-choice-description', textHtml(option.description, ctx)));
        label.append(input, text);
        group.append(label);
      }
      return group;
    }
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const multiline = element.type === 'plain_text_input' && element.multiline === true;
      const input = document.createElement(multiline ? 'textarea' : 'input');
      input.className = 'bk-text-input';
      if (!multiline) {
        input.type = { email_text_input: 'email', url_text_input: 'url', number_input: 'text' }[element.type] ?? 'text';
      }
      input.dataset.actionId = actionId;
      if (element.placeholder) input.placeholder = plainOf(element.placeholder);
      if (element.max_length) input.maxLength = element.max_length;
      input.value = typeof entered === 'string' ? entered : (element.initial_value ?? '');
      input.addEventListener('input', () => ctx.enter(blockId, input.value));
      if (where.dispatch) {
        input.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' && !event.shiftKey) send(input.value);
        });
      }
      return input;
    }
    case 'datepicker':
    case 'timepicker': {
      const input = document.createElement('input');
      input.className = 'bk-text-input bk-picker';
      input.type = element.type === 'datepicker' ? 'date' : 'time';
      input.dataset.actionId = actionId;
      input.value = typeof entered === 'string' ? entered : (element.initial_date ?? element.initial_time ?? '') || '';
      input.addEventListener('change', () => changed(input.value));
      return input;
    }
    case 'overflow': {
      const select = el('select', 'bk-overflow');
      select.dataset.actionId = actionId;
      select.title = 'More actions';
      const dots = document.createElement('option');
      dots.textContent = '⋯';
      dots.value = '';
      select.append(dots);
      for (const option of element.options ?? []) select.append(optionNode(option, ctx));
      select.addEventListener('change', () => {
        const value = select.value;
        select.value = '';
        if (value) send(value);
      });
      return select;
    }
    case 'image': {
      const img = el('img', 'bk-accessory-image');
      img.src = element.image_url ?? '';
      img.alt = element.alt_text ?? '';
      return img;
    }
    default:
      return el('span', 'bk-unknown', `Slack would show a <code>${escapeHtml(element.type ?? '?')}</code> here.`);
  }
}
