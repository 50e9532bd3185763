/**
 * Helpers for feature tests on plain strings: a `|` cursor marker in fixtures, applying LSP text
 * edits to a string, and reading the shared conformance data and seed.
 */
import { CONFORMANCE_DIR, SEED_FILE } from '../fixtures/paths';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Position, TextEdit } from 'vscode-languageserver-types';
import { FlowLogDocument } from '../../server/src/service/document';


/** Text of a file of the conformance data (see test/fixtures/paths.ts). */
export function conformanceText(...parts: string[]): string {
  return readFileSync(join(CONFORMANCE_DIR, ...parts), 'utf8');
}

/** Lines of the AWS documentation seed, 1-based and inclusive, as in an editor. */
export function seedLines(first: number, last: number): string[] {
  const text = readFileSync(SEED_FILE, 'utf8');
  return text.split(/\r?\n/).slice(first - 1, last);
}

/** Splits a fixture at its `|` marker: the text without it and the marker's position. */
export function withCursor(fixture: string): { text: string; position: Position } {
  const at = fixture.indexOf('|');
  if (at < 0 || fixture.indexOf('|', at + 1) >= 0) throw new Error('fixture needs exactly one | marker');
  const text = fixture.slice(0, at) + fixture.slice(at + 1);
  return { text, position: positionAt(text, at) };
}

/** A document and cursor from a fixture with a `|` marker. */
export function docWithCursor(fixture: string): { doc: FlowLogDocument; position: Position; text: string } {
  const { text, position } = withCursor(fixture);
  return { doc: new FlowLogDocument(text), position, text };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') i++;
    if (c === '\r' || c === '\n') starts.push(i + 1);
  }
  return starts;
}

export function positionAt(text: string, offset: number): Position {
  const starts = lineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return { line, character: offset - starts[line] };
}

export function offsetAt(text: string, position: Position): number {
  const starts = lineStarts(text);
  if (position.line >= starts.length) throw new Error(`line ${position.line} is past the end (${starts.length} lines)`);
  return starts[position.line] + position.character;
}

/** Applies LSP text edits (non-overlapping, positions in the original text) and returns the new text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const spans = edits
    .map((edit) => ({ start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  let limit = Infinity;
  for (const span of spans) {
    if (span.end > limit || span.start > span.end) throw new Error(`overlapping or inverted edit at ${span.start}–${span.end}`);
    result = result.slice(0, span.start) + span.newText + result.slice(span.end);
    limit = span.start;
  }
  return result;
}
