// Collects every configuration problem before reporting, so a user fixes them all in one go
// instead of one k6 start per typo.
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration (nothing was sent to the target):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export class ProblemList {
  readonly problems: string[] = [];
  add(problem: string): void {
    this.problems.push(problem);
  }
  throwIfAny(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
