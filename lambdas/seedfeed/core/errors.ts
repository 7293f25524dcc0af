/** A seed that cannot become an item. Rejections are final: retrying the same bytes cannot succeed. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
  constructor(
    readonly file: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${problem}`, options);
  }
}

/** Configuration that cannot run; raised once at start-up, never per event. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Rendered feeds that failed their own checks; they are never published. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
}
