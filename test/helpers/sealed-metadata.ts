import assert from 'node:assert/strict';

/** The JSON inside a view's sealed private_metadata (`m1.<tag>.<json>`), for tests to read what the app keeps. */
export function sealedMetadataOf(privateMetadata: string): Record<string, unknown> {
  const match = /^m1\.[A-Za-z0-9_-]{43}\.(.*)$/s.exec(privateMetadata);
  assert.ok(match?.[1], `private_metadata is not sealed: ${privateMetadata.slice(0, 80)}`);
  return JSON.parse(match[1]) as Record<string, unknown>;
}
