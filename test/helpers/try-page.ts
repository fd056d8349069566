/**
 * A person at the try page (`npm run try`), in a real browser: what they click and type, by what the page
 * shows (labels, button texts), so a test or the screenshot script reads like the story it tells. Every
 * step waits on what the page shows, never on time.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** Generous: the app answers in milliseconds, but test files run in parallel on a loaded machine. */
const STEP_TIMEOUT_MS = 30_000;

export class TryPage {
  private constructor(readonly page: Page) {}

  static async open(context: BrowserContext, url: string, as: string): Promise<TryPage> {
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(`${url}?as=${encodeURIComponent(as)}`);
    await page.locator('body[data-ready]').waitFor();
    return new TryPage(page);
  }

  /** Picks who they are in the top bar (a Slack user id). */
  async beAs(userId: string): Promise<void> {
    await this.page.locator('#who').selectOption(userId);
  }

  async openChannel(name: string): Promise<void> {
    await this.page.locator('#channels button', { hasText: `# ${name}` }).click();
  }

  /** Types into the channel's message box and presses Enter: a slash command or a message. */
  async type(text: string): Promise<void> {
    const box = this.page.locator('#composer-text');
    await box.fill(text);
    await box.press('Enter');
  }

  modal(hasText?: string | RegExp): Locator {
    return this.page.locator('.modal', hasText === undefined ? {} : { hasText });
  }

  private input(label: string): Locator {
    return this.modal()
      .locator('.bk-input')
      .filter({ has: this.page.locator('.bk-label', { hasText: label }) });
  }

  async pick(label: string, option: string): Promise<void> {
    await this.input(label).locator('select').selectOption({ label: option });
  }

  async write(label: string, text: string): Promise<void> {
    await this.input(label).locator('textarea, input').fill(text);
  }

  async submitModal(): Promise<void> {
    await this.modal().locator('.modal-submit').click();
  }

  async closeModal(): Promise<void> {
    await this.modal().locator('.modal-x').click();
    await this.modal().waitFor({ state: 'detached' });
  }

  message(ts: string): Locator {
    return this.page.locator(`#conversation .message[data-ts="${ts}"]`);
  }

  /** Messages in the open conversation that show this text. */
  messages(hasText: string | RegExp): Locator {
    return this.page.locator('#conversation .message', { hasText });
  }

  /** A message shortcut from the message's ⋮ menu. */
  async shortcut(ts: string, name: string): Promise<void> {
    const message = this.message(ts);
    await message.hover();
    await message.getByRole('button', { name: 'More actions' }).click();
    await this.page.getByRole('menuitem', { name }).click();
  }

  async openThreadOf(ts: string): Promise<Locator> {
    await this.message(ts).locator('.replies').click();
    return this.page.locator('#thread');
  }

  async openHome(): Promise<Locator> {
    await this.page.locator('#apps button').click();
    return this.page.locator('#conversation .home');
  }
}
