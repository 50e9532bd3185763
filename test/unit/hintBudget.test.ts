import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InlayHintKind } from 'vscode-languageserver-types';
import { withinLength } from '../../client/src/hintBudget';
import { FlowLogDocument } from '../../server/src/service/document';
import { inlayHints } from '../../server/src/service/inlayHints';

const V5_HEADER = 'version srcaddr dstaddr srcport dstport protocol packets bytes start end action tcp-flags log-status interface-id traffic-path flow-direction';
const V5_RECORD = '5 10.0.1.5 52.95.128.179 43683 443 6 3 4500 1620140661 1620140721 ACCEPT 19 OK eni-0beadc0bb8bb8de3a 8 ingress';

/** VS Code's cut (inlayHintsController): hints in position order, the label that crosses the limit cut with `…`, the rest dropped. */
function vscodeCut(labels: string[], limit: number): string[] {
  const shown: string[] = [];
  let total = 0;
  for (const label of labels) {
    if (total > limit) break;
    total += label.length;
    const over = total - limit;
    shown.push(over > 0 ? `${label.slice(0, -over)}…` : label);
  }
  return shown;
}

describe('inlay hints within editor.inlayHints.maximumLength', () => {
  const text = `${V5_HEADER}\n${V5_RECORD}`;
  const hints = inlayHints(new FlowLogDocument(text), { start: { line: 0, character: 0 }, end: { line: 1, character: V5_RECORD.length } }, { fieldNames: false, decodedValues: true });
  const labels = (list: typeof hints) => list.map((h) => String(h.label));

  it('keeps the times, tcp-flags and protocol of a v5 record that VS Code would have cut at 43 characters', () => {
    const kept = labels(withinLength(hints, 43));
    assert.deepEqual(kept, ['2021-05-04 15:04:21Z', '15:05:21Z', 'SYN-ACK+FIN', 'TCP']);
    const byPosition = [...hints].sort((a, b) => a.position.character - b.position.character);
    const cut = vscodeCut(labels(byPosition), 43);
    assert.ok(!cut.includes('SYN-ACK+FIN') && cut.some((label) => label.endsWith('…')), `VS Code alone cuts the flags: ${cut.join(' | ')}`);
  });

  it('leaves a hint out whole, lets a shorter later one in, and counts per line', () => {
    const hint = (line: number, label: string) => ({ position: { line }, label, kind: InlayHintKind.Type });
    const list = [hint(0, 'abcdefgh'), hint(0, 'too long here'), hint(0, 'ab'), hint(1, 'abcdefghij')];
    assert.deepEqual(withinLength(list, 10).map((h) => h.label), ['abcdefgh', 'ab', 'abcdefghij']);
    assert.deepEqual(withinLength([{ position: { line: 0 }, label: [{ value: 'abc' }, { value: 'defgh' }] }], 7), [], 'label parts count together');
  });

  it('keeps everything with no limit (0, the flowlog default)', () => {
    assert.equal(withinLength(hints, 0).length, hints.length);
    assert.ok(hints.length > 5);
  });
});
