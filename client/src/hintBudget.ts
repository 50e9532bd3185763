/**
 * Keeping a line's inlay hints within `editor.inlayHints.maximumLength` by leaving whole hints out,
 * the last sent first. VS Code itself would cut the hints in position order, so on a v5 record the
 * times and tcp-flags (late in the record) were the ones cut; the server sends each record's hints
 * most useful first (service/hintLabels.ts `hintPriority`), so keeping a prefix keeps the best.
 * No editor API here, so the unit tests run it on plain objects.
 */

export interface BudgetedHint {
  position: { line: number };
  label: string | readonly { value: string }[];
}

function labelLength(hint: BudgetedHint): number {
  return typeof hint.label === 'string' ? hint.label.length : hint.label.reduce((sum, part) => sum + part.value.length, 0);
}

/**
 * The hints that fit each line's budget of `limit` characters, in the order given: a hint that does
 * not fit is left out whole, and a shorter one after it may still fit. A limit of 0 or less keeps all.
 */
export function withinLength<T extends BudgetedHint>(hints: readonly T[], limit: number): T[] {
  if (!(limit > 0)) return hints.slice();
  const used = new Map<number, number>();
  return hints.filter((hint) => {
    const line = hint.position.line;
    const total = (used.get(line) ?? 0) + labelLength(hint);
    if (total > limit) return false;
    used.set(line, total);
    return true;
  });
}
