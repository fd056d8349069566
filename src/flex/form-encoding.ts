/**
 * Encodes a form body byte for byte as twilio-node does (qs.stringify, RFC 3986 format): keys in the
 * order given, UTF-8 percent-encoding with only `A–Z a–z 0–9 - _ . ~` left as they are, so a space
 * is `%20` and `*`, `'`, `(`, `)`, `!` are encoded; numbers as `String(n)`.
 */
export function encodeForm(fields: ReadonlyArray<readonly [string, string | number]>): string {
  return fields.map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(String(value))}`).join('&');
}

function encodeComponent(text: string): string {
  // A lone surrogate cannot be UTF-8; it becomes U+FFFD rather than failing the whole comment.
  return encodeURIComponent(text.toWellFormed()).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
