/** A JSON text from outside (a button's value, a view's private_metadata) read as unknown; undefined when it is not JSON. */
export function parseJsonText(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
