/**
 * Values a record names, written as they stand instead of interned: the editor's validating
 * thread hands its records to the pairing thread (pairingJob.ts) and should do as little per
 * record as it can, so an interface ID or a non-IPv4 address is copied (a few dozen code units)
 * and interned on the pairing thread (`StringIntern.idOfUnits`), which gives it the id the
 * intern would have given it here. A canonical IPv4 address below 255.0.0.0 is still named by
 * its number, as everywhere.
 *
 * A value's id here is the top byte 0xff and its place in this batch's list; `take` hands the
 * list over and starts a new one.
 */
import { addressId, NOT_ADDRESS } from './intern';

const RAW_TOP = 0xff;
const DIGIT_0 = 48;
/** Room a batch starts with: an interface ID (21 units) a record and a few more values (it grows past). */
const UNITS = 128 * 1024;
const PLACES = 8 * 1024;
/** Most values a batch can name (places take 24 bits). */
const MAX_PLACES = 0xffffff;

/** A batch's values: value k is units[k === 0 ? 0 : ends[k - 1], ends[k]). */
export interface RawValueList {
  units: Uint16Array;
  ends: Int32Array;
}

/** Names values as recordCells.ts asks an intern to (the same methods), without interning them. */
export class RawValues {
  private units: Uint16Array = new Uint16Array(UNITS);
  private ends: Int32Array = new Int32Array(PLACES);
  private count = 0;
  private used = 0;

  idOfIPv4(value: number, text: string, start: number, end: number): number {
    return value < 0xff000000 ? value | 0 : this.fromText(text, start, end);
  }

  idOf(text: string, start: number, end: number): number {
    const address = addressId(text, start, end);
    return address !== NOT_ADDRESS ? address : this.fromText(text, start, end);
  }

  idOfString(value: string): number {
    return this.idOf(value, 0, value.length);
  }

  idOfInterface(text: string, start: number, end: number): number {
    return this.idOf(text, start, end);
  }

  idOfInterfaceBytes(bytes: Uint8Array, start: number, end: number, text: string, textStart: number): number {
    const first = bytes[start];
    if (first >= DIGIT_0 && first <= DIGIT_0 + 9) return this.idOf(text, textStart, textStart + end - start);
    return this.fromBytes(bytes, start, end);
  }

  idOfOtherBytes(bytes: Uint8Array, start: number, end: number): number {
    return this.fromBytes(bytes, start, end);
  }

  /** Starts a batch, in the arrays of a spent one when given. */
  begin(spent?: RawValueList): void {
    this.units = spent?.units ?? new Uint16Array(UNITS);
    this.ends = spent?.ends ?? new Int32Array(PLACES);
    this.count = 0;
    this.used = 0;
  }

  /** The batch's values (its arrays are the receiver's until it gives them back). */
  take(): RawValueList {
    return { units: this.units, ends: this.ends };
  }

  private fromBytes(bytes: Uint8Array, start: number, end: number): number {
    const at = this.room(end - start);
    const units = this.units;
    for (let i = start; i < end; i++) units[at + i - start] = bytes[i];
    return this.place();
  }

  private fromText(text: string, start: number, end: number): number {
    const at = this.room(end - start);
    const units = this.units;
    for (let i = start; i < end; i++) units[at + i - start] = text.charCodeAt(i);
    return this.place();
  }

  /** Room for `length` more units; where they go. */
  private room(length: number): number {
    if (this.used + length > this.units.length) {
      const grown = new Uint16Array(Math.max(2 * this.units.length, this.used + length));
      grown.set(this.units);
      this.units = grown;
    }
    const at = this.used;
    this.used += length;
    return at;
  }

  private place(): number {
    if (this.count === this.ends.length) {
      const grown = new Int32Array(2 * this.ends.length);
      grown.set(this.ends);
      this.ends = grown;
    }
    if (this.count >= MAX_PLACES) throw new RangeError('more than 16,777,215 values in one batch of records');
    this.ends[this.count] = this.used;
    return (RAW_TOP << 24) | this.count++;
  }
}
