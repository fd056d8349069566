/** Thrown when the environment cannot make a Config; its message names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(
      `Flex QM for Slack cannot run: its settings need fixing.\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for what each one holds, and docs/ for where to find it.`,
    );
    this.name = 'ConfigError';
  }
}
