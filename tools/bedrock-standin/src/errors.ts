/** Base class of the stand-in's own errors. */
export class BedrockStandinError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BedrockStandinError';
  }
}

/** A start-up option was out of range. */
export class StandinOptionsError extends BedrockStandinError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StandinOptionsError';
  }
}
