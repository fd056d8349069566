/**
 * Encodes form fields byte for byte as twilio-node does, both for a POST body and for a GET query
 * (qs.stringify with its default RFC 3986 format): keys in the order given, UTF-8 percent-encoding
 * with only `A–Z a–z 0–9 - _ . ~` left as they are, so a space is `%20` and `*`, `'`, `(`, `)`, `!`
 * are encoded; numbers as `String(n)`, so `1e-7` stays `1e-7` and `1e21` becomes `1e%2B21`.
 */
export function encodeForm(fields: ReadonlyArray<readonly [string, string | number]>): string {
  return fields.map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(String(value))}`).join('&');
}

function encodeComponent(text: string): string {
  // A lone surrogate has no UTF-8 form; qs (since 6.17) writes U+FFFD for it, as toWellFormed does.
  return encodeURIComponent(text.toWellFormed()).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
