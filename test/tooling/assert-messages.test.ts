import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import ts from 'typescript';

/**
 * Every assert.ok in the tests, the bench and the sandbox carries a message. A falsy assert.ok without one
 * makes Node read and parse the caller's source to word the error, which under tsx's module hooks can take
 * minutes (nodejs/node#52677, #52962): a test polling with `eventually` whose first look fails then seems
 * to hang. test/e2e/scorecards.test.ts hung so ("the PostgreSQL teardown hang", 2 runs in 85 under load;
 * every run with TSX_DISABLE_CACHE=1).
 */
const CHECKED = execSync("git ls-files 'test/**/*.ts' 'bench/**/*.ts' 'sandbox/**/*.ts'", { encoding: 'utf8' })
  .split('\n')
  .filter((path) => path.endsWith('.ts'));

/** The `assert.ok(x)` and `assert(x)` calls of a source text without a message, as `line: text`. */
export function assertsWithoutMessage(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length === 1) {
      const callee = node.expression.getText(file);
      if (callee === 'assert.ok' || callee === 'assert') {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
        found.push(`${line + 1}: ${node.getText(file).slice(0, 80)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('assert.ok calls carry a message (a falsy one without is slow to word under tsx)', () => {
  it('finds a call without a message, so a pass means something', () => {
    const source = "assert.ok(rows.every((r) => r.posted));\nassert.ok(done, 'done');\nassert(x);";
    assert.deepEqual(assertsWithoutMessage('x.ts', source), [
      '1: assert.ok(rows.every((r) => r.posted))',
      '3: assert(x)',
    ]);
  });

  it(`has none without a message in the ${CHECKED.length} files of test/, bench/ and sandbox/`, () => {
    assert.ok(CHECKED.length > 100, `git ls-files listed ${CHECKED.length} files`);
    const found = CHECKED.flatMap((path) =>
      assertsWithoutMessage(path, readFileSync(path, 'utf8')).map((call) => `${path}:${call}`),
    );
    assert.deepEqual(found, []);
  });
});
