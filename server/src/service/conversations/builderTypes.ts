/** What a ConversationBuilder (builder.ts) is given and gives: its options, a reader of records it pairs, a finished document's groups. */
import type { MadeKey } from './cellQueue';
import type { GroupStore } from './groupStore';
import type { StringIntern } from './intern';
import type { RecordCells } from './recordCells';

/** A record read by another reader, with its key made, for `addFrom`. */
export interface CellSource extends MadeKey {
  readInto(cells: RecordCells, intern: StringIntern): boolean;
  /** Whether the reader made the key (else the builder does). */
  keyMade: boolean;
}

export interface BuilderOptions {
  /** Close conversations as the stream moves on (default false: a document, closed at `finish`). */
  streaming?: boolean;
  /** Keep every record line (the editor needs them; the CLI keeps the first of each direction). */
  keepLines?: boolean;
  maxOpen?: number;
  /** Emit only conversations with a REJECT (`flowlog lint`: the others are never judged, which saves most of the work). */
  onlyRejected?: boolean;
  /**
   * Emit only the conversations that can be a rejected reply (`flowlog lint`'s reply-rejected): a
   * REJECT, and records both ways (a group logged one way makes conversations without a request
   * or without a response). Most rejected groups are one record; they are not judged.
   */
  onlyRepliesRejected?: boolean;
  /** Records expected (a document's line count): rows are made room for at once, so none is copied while pairing. */
  capacity?: number;
}

/** A finished document's groups: rows of `store`, NAT legs joined, in the order of their first line. */
export interface FinishedGroups {
  store: GroupStore;
  groups: Int32Array;
  logHasAccept: boolean;
}
