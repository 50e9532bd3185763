/**
 * The columns of the pairing state (groupStore.ts): one typed array per field of a group, a hop
 * (one per interface), a direction and a record place, a row number indexing them all; how they
 * are laid out at first and how they grow, and the Int32 codes of the numbers read from records
 * (protocol, ports, times, TCP flags: 4 bytes each, not 8). A record that starts a conversation
 * without NAT fills 67 bytes of a group, a hop and a direction row (130 before session 12). What
 * the rows mean, and which are free, is the store's.
 * The store extends this class, so that its per-record code reads the columns as its own fields.
 */

/**
 * Rows are written before they are read, so new arrays are not filled: their pages stay untouched
 * (not resident) until rows reach them, and a document can size them for its line count at once,
 * with no copy while it is paired.
 */
/**
 * Hop, direction and place rows count from 1, so that 0, the value of fresh memory, means "no row"
 * in the columns that link them (firstHop, hopNext, hopFirstDir, dirPlaces …): a new row writes only
 * the columns it has a value for, and the pages of a column no record fills (the links of single
 * records, reject places, TCP flags of a format without them) are never touched. On the VM of
 * BENCHMARKS.md the first write to a page costs about 16 µs, more than pairing the records on it.
 */
export const NO_ROW = 0;

function grow<T extends Float64Array | Int32Array | Uint8Array>(array: T): T {
  const next = new (array.constructor as new (n: number) => T)(Math.ceil(array.length * 1.5));
  next.set(array);
  return next;
}

export class GroupColumns {
  // Groups. Numbers read from the records (protocol, ports, times, TCP flags) are held as codes
  // (groupStore.ts `code`): the number itself when it fits an Int32, as all but a damaged one's do.
  protocol: Int32Array;
  aPort: Int32Array;
  bPort: Int32Array;
  firstStart: Int32Array;
  lastEnd: Int32Array;
  aAddr: Int32Array;
  bAddr: Int32Array;
  /** Interface of the group's first record: its NAT candidate keys (set only with the NatKeys flag). */
  natIface: Int32Array;
  firstHop: Int32Array;
  /** The joined NAT outside leg's group: set only with the group's HasOutside flag. */
  natOutside: Int32Array;
  flags: Uint8Array;
  // Hops.
  hopIface: Int32Array;
  hopNext: Int32Array;
  /** The gateway's address and the one beyond it: set only with the hop's Intermediate bit. */
  hopStandIn: Int32Array;
  hopBeyond: Int32Array;
  /** The hop's directions in the order made (groupStore.ts `directionOf` says which is which). */
  hopFirstDir: Int32Array;
  hopSecondDir: Int32Array;
  /** groupStore.ts HopBit: which of the columns above are set (fresh rows are all zeros). */
  hopBits: Uint8Array;
  // Directions.
  dirLine: Int32Array;
  /** Set only with the direction's Further bit (the record is not its line's first); else 0. */
  dirRecord: Int32Array;
  /** Set only with the direction's Several bit (else it has one record). */
  dirRecords: Int32Array;
  /** groupStore.ts DirAction bits: a record of the direction was accepted, rejected. */
  dirAction: Uint8Array;
  /** Place of the first rejected record: set only with the direction's Rejected bit. */
  dirRejectLine: Int32Array;
  dirRejectRecord: Int32Array;
  dirSrc: Int32Array;
  dirDst: Int32Array;
  /** Places of a direction's records, newest first, from its second record on (one record: dirLine, dirRecord). */
  dirPlaces: Int32Array;
  /** Sums, which may pass 2^31. */
  dirPackets: Float64Array;
  dirBytes: Float64Array;
  dirStart: Int32Array;
  /** TCP flags seen (ORed): set only with the direction's Flagged bit. */
  dirFlags: Int32Array;
  // Record places (editor only): a list per direction.
  placeLine: Int32Array;
  placeRecord: Int32Array;
  placeNext: Int32Array;
  /**
   * Numbers that do not fit their Int32 column (a damaged record's may have up to 15 digits; times
   * past 2038), by code: value `wide[-2 - code]`. Own fields, so `toParts` moves them; the lookup by
   * value is needed only while records come.
   */
  private wide = new Float64Array(0);
  private wideCount = 0;
  private wideCodes: Map<number, number> | undefined;

  /** `capacity`: rows to make room for at once (a document's line count: records are at most one a line, JSON lines aside). */
  constructor(capacity: number) {
    // Multiples of 8, so that every Float64Array view starts aligned; one more than asked for, row 0 (NO_ROW).
    const n = Math.max(16, Math.ceil((capacity + 1) / 8) * 8);
    // Places are made from a direction's second record on: far fewer than records in most logs.
    const places = Math.max(16, Math.ceil(n / 64) * 8);
    // One buffer for every column: a large one is mapped fresh, so its pages cost nothing until
    // rows reach them (many smaller arrays would come from the heap, zeroed and resident at once).
    const buffer = new ArrayBuffer(n * (2 * 8 + 26 * 4 + 3) + places * 12);
    let offset = 0;
    const f64 = (): Float64Array => {
      const array = new Float64Array(buffer, offset, n);
      offset += 8 * n;
      return array;
    };
    const i32 = (count = n): Int32Array => {
      const array = new Int32Array(buffer, offset, count);
      offset += 4 * count;
      return array;
    };
    const u8 = (): Uint8Array => {
      const array = new Uint8Array(buffer, offset, n);
      offset += n;
      return array;
    };
    // The Float64 columns first: each starts aligned.
    this.dirPackets = f64();
    this.dirBytes = f64();
    this.protocol = i32();
    this.aPort = i32();
    this.bPort = i32();
    this.firstStart = i32();
    this.lastEnd = i32();
    this.aAddr = i32();
    this.bAddr = i32();
    this.natIface = i32();
    this.firstHop = i32();
    this.natOutside = i32();
    this.hopIface = i32();
    this.hopNext = i32();
    this.hopStandIn = i32();
    this.hopBeyond = i32();
    this.hopFirstDir = i32();
    this.hopSecondDir = i32();
    this.dirLine = i32();
    this.dirRecord = i32();
    this.dirRecords = i32();
    this.dirRejectLine = i32();
    this.dirRejectRecord = i32();
    this.dirSrc = i32();
    this.dirDst = i32();
    this.dirPlaces = i32();
    this.dirStart = i32();
    this.dirFlags = i32();
    this.placeLine = i32(places);
    this.placeRecord = i32(places);
    this.placeNext = i32(places);
    this.flags = u8();
    this.hopBits = u8();
    this.dirAction = u8();
  }

  /** Bytes held by the columns (for the benchmarks' notes). */
  get bytes(): number {
    const arrays = [this.protocol, this.aPort, this.bPort, this.firstStart, this.lastEnd, this.aAddr, this.bAddr, this.natIface, this.firstHop, this.natOutside, this.flags,
      this.hopIface, this.hopNext, this.hopStandIn, this.hopBeyond, this.hopFirstDir, this.hopSecondDir, this.hopBits,
      this.dirLine, this.dirRecord, this.dirRecords, this.dirAction, this.dirRejectLine, this.dirRejectRecord, this.dirSrc, this.dirDst, this.dirPlaces, this.dirPackets, this.dirBytes, this.dirStart, this.dirFlags,
      this.placeLine, this.placeRecord, this.placeNext];
    return arrays.reduce((sum, a) => sum + a.byteLength, 0);
  }

  /** The column code of a number read from a record (protocol, port, time, TCP flags): the number itself from -1 (none) to 2^31 − 1, else a code below -1 standing for it. */
  code(value: number): number {
    return value >= -1 && (value | 0) === value ? value : this.wideCode(value);
  }

  private wideCode(value: number): number {
    this.wideCodes ??= new Map();
    let code = this.wideCodes.get(value);
    if (code === undefined) {
      if (this.wideCount === this.wide.length) {
        const wide = new Float64Array(Math.max(8, 2 * this.wideCount));
        wide.set(this.wide);
        this.wide = wide;
      }
      this.wide[this.wideCount] = value;
      code = -2 - this.wideCount++;
      this.wideCodes.set(value, code);
    }
    return code;
  }

  /** The number a column code stands for. */
  numberOf(code: number): number {
    return code >= -1 ? code : this.wide[-2 - code];
  }

  protected growGroups(): void {
    this.protocol = grow(this.protocol);
    this.aPort = grow(this.aPort);
    this.bPort = grow(this.bPort);
    this.firstStart = grow(this.firstStart);
    this.lastEnd = grow(this.lastEnd);
    this.aAddr = grow(this.aAddr);
    this.bAddr = grow(this.bAddr);
    this.natIface = grow(this.natIface);
    this.firstHop = grow(this.firstHop);
    this.natOutside = grow(this.natOutside);
    this.flags = grow(this.flags);
  }

  protected growHops(): void {
    this.hopIface = grow(this.hopIface);
    this.hopNext = grow(this.hopNext);
    this.hopStandIn = grow(this.hopStandIn);
    this.hopBeyond = grow(this.hopBeyond);
    this.hopFirstDir = grow(this.hopFirstDir);
    this.hopSecondDir = grow(this.hopSecondDir);
    this.hopBits = grow(this.hopBits);
  }

  protected growDirections(): void {
    this.dirLine = grow(this.dirLine);
    this.dirRecord = grow(this.dirRecord);
    this.dirRecords = grow(this.dirRecords);
    this.dirAction = grow(this.dirAction);
    this.dirRejectLine = grow(this.dirRejectLine);
    this.dirRejectRecord = grow(this.dirRejectRecord);
    this.dirSrc = grow(this.dirSrc);
    this.dirDst = grow(this.dirDst);
    this.dirPlaces = grow(this.dirPlaces);
    this.dirPackets = grow(this.dirPackets);
    this.dirBytes = grow(this.dirBytes);
    this.dirStart = grow(this.dirStart);
    this.dirFlags = grow(this.dirFlags);
  }

  protected growPlaces(): void {
    this.placeLine = grow(this.placeLine);
    this.placeRecord = grow(this.placeRecord);
    this.placeNext = grow(this.placeNext);
  }
}
