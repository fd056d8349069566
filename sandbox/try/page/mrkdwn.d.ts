// Types for mrkdwn.js, so the tests can import the page's module (it runs as is in the browser).
export interface Names {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
}
export function escapeHtml(text: string): string;
export function emojify(escaped: string): string;
export function renderPlain(text: string, emoji?: boolean): string;
export function renderDate(spec: string, fallback: string, now?: Date): string;
export function renderMrkdwn(text: string, names: Names, now?: Date): string;
export function svgImage(inner: string, className: string, alt: string): string;
