/** Flex Insights segment and agent ids are UUIDs (8-4-4-4-12 hex). */
export const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

export function isUuid(value: string): boolean {
  return new RegExp(`^${UUID_PATTERN.source}$`, 'i').test(value);
}
