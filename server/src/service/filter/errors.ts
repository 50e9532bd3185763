/** A filter that cannot be read or does not fit the file: message and the span it is about. */
export class FilterError extends Error {
  constructor(
    message: string,
    /** 0-based offsets into the filter text. */
    readonly start: number,
    readonly end: number,
    /** A replacement for the span that would likely fix it (a field name for a typo). */
    readonly suggestion?: string,
  ) {
    super(message);
  }

  /** `1:9: message`-free form for a terminal: the message with a 1-based column. */
  describe(): string {
    return `column ${this.start + 1}: ${this.message}`;
  }
}
