const OFFSET_PARAMS = ['t', 'offset', 'time', 'start', 'position'];

/** The call link moved to the comment's offset, where the link carries one; otherwise the link as it is. */
export function linkAtOffset(url: string, offsetSeconds: number): string {
  if (!URL.canParse(url)) return url;
  const target = new URL(url);
  const seconds = String(Math.round(offsetSeconds * 1000) / 1000);
  const param = OFFSET_PARAMS.find((name) => target.searchParams.has(name));
  if (param) {
    target.searchParams.set(param, seconds);
    return target.toString();
  }
  const hash = new URLSearchParams(target.hash.replace(/^#/, ''));
  const hashParam = OFFSET_PARAMS.find((name) => hash.has(name));
  if (hashParam) {
    hash.set(hashParam, seconds);
    target.hash = hash.toString();
    return target.toString();
  }
  return url;
}
