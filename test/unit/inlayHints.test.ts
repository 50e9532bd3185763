import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import { generate, KINDS } from '../../bench/generate';
import { decodeValue } from '../../server/src/catalog/decoders';
import { FlowLogDocument } from '../../server/src/service/document';
import { decodeContext } from '../../server/src/service/hover';
import { inlayHints, MAX_INLAY_HINTS } from '../../server/src/service/inlayHints';
import { parseLine } from '../../server/src/service/parse';
import { conformanceText } from './helpers';

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const SSH = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

const ALL = { fieldNames: true, decodedValues: true };
const DECODED = { fieldNames: false, decodedValues: true };

function everything(text: string): Range {
  const lines = text.split(/\r?\n/);
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

function hintsOf(text: string, options = ALL, range = everything(text)): InlayHint[] {
  return inlayHints(new FlowLogDocument(text), range, options);
}

/** `value → label` for the decoded hints of one line: the word that ends where the hint sits. */
function decodedOn(text: string, line: number, hints: InlayHint[]): string[] {
  const source = text.split(/\r?\n/)[line];
  return hints
    .filter((h) => h.kind === InlayHintKind.Type && h.position.line === line)
    .sort((a, b) => a.position.character - b.position.character)
    .map((h) => `${source.slice(0, h.position.character).split(' ').pop()} → ${String(h.label)}`);
}

describe('inlay hints', () => {
  it('puts the field name before every value of a record', () => {
    const text = `${V2_HEADER}\n${SSH}`;
    const names = hintsOf(text, { fieldNames: true, decodedValues: false });
    assert.equal(names.length, 14);
    assert.deepEqual(names.slice(0, 3).map((h) => [h.label, h.position.character]), [['version:', 0], ['account-id:', 2], ['interface-id:', 15]]);
    assert.ok(names.every((h) => h.kind === InlayHintKind.Parameter && h.paddingRight === true && h.position.line === 1));
  });

  it('decodes what the raw value does not say, after the value', () => {
    const text = `${V2_HEADER}\n${SSH}`;
    const hints = hintsOf(text, DECODED);
    assert.deepEqual(decodedOn(text, 1, hints), ['22 → SSH', '6 → TCP', '4249 → 4.1 KiB', '1418530010 → 2014-12-14 04:06:50Z', '1418530070 → 04:07:50Z']);
    assert.ok(hints.every((h) => h.paddingLeft === true));
  });

  it('sends each record\'s hints most useful first: times, tcp-flags, protocol, then ports and bytes, field names last', () => {
    const header = 'version srcaddr dstaddr srcport dstport protocol packets bytes start end action tcp-flags log-status';
    const record = '5 10.0.1.5 52.95.128.179 10927 443 6 13 5688 1620140661 1620140721 ACCEPT 19 OK';
    const hints = hintsOf(`${header}\n${record}`);
    const labels = hints.map((h) => String(h.label));
    assert.deepEqual(labels.slice(0, 5), ['2021-05-04 15:04:21Z', '15:05:21Z', 'SYN-ACK+FIN', 'TCP', 'HTTPS']);
    assert.equal(labels[5], '5.6 KiB');
    assert.ok(hints.slice(6).every((h) => h.kind === InlayHintKind.Parameter), 'field names after every decoding');
    assert.equal(hints.length, 6 + 13);
  });

  it('names TCP flag combinations (AWS TCP flag sequence)', () => {
    const text = conformanceText('awsdocs-amazon-vpc-user-guide', 'v3_custom_tcp_flag_sequence.txt');
    const hints = hintsOf(text, DECODED);
    const lines = text.split('\n');
    const flags = (line: number): string | undefined => decodedOn(text, line, hints).find((d) => d.startsWith(`${lines[line].split(/ +/)[19]} → `));
    const line = (flagsValue: string): number => lines.findIndex((l) => l.endsWith(` ACCEPT ${flagsValue} OK`));
    assert.equal(flags(line('2')), '2 → SYN');
    assert.equal(flags(line('18')), '18 → SYN-ACK');
    assert.equal(flags(line('1')), '1 → FIN');
    assert.equal(flags(line('3')), '3 → SYN+FIN');
    assert.equal(flags(line('19')), '19 → SYN-ACK+FIN');
  });

  it('explains traffic-path codes (AWS v5 example)', () => {
    const text = conformanceText('awsdocs-amazon-vpc-user-guide', 'v5_custom_service_path_direction.txt');
    const hints = hintsOf(text, DECODED);
    const egress = text.split('\n').findIndex((l) => l.endsWith(' egress OK'));
    assert.ok(decodedOn(text, egress, hints).includes('8 → internet gateway (Nitro)'));
  });

  it('explains encryption-status codes', () => {
    const text = '# fields: version srcaddr dstaddr encryption-status\n10 10.0.0.1 10.0.0.2 1\n10 10.0.0.1 10.0.0.2 0';
    const hints = hintsOf(text, DECODED);
    assert.deepEqual(decodedOn(text, 1, hints), ['1 → Nitro-encrypted']);
    assert.deepEqual(decodedOn(text, 2, hints), ['0 → Not encrypted']);
  });

  it('shows only the lines of the range', () => {
    const text = [V2_HEADER, SSH, SSH, SSH, SSH].join('\n');
    const range = { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } };
    const hints = hintsOf(text, ALL, range);
    assert.deepEqual([...new Set(hints.map((h) => h.position.line))], [2, 3]);
  });

  it('gives nothing when both kinds are off, for prose, or past the format', () => {
    assert.deepEqual(hintsOf(`${V2_HEADER}\n${SSH}`, { fieldNames: false, decodedValues: false }), []);
    assert.deepEqual(hintsOf('The following are examples of default flow log records.'), []);
    const extra = hintsOf(`${V2_HEADER}\n${SSH} 42 43`, { fieldNames: true, decodedValues: false });
    assert.equal(extra.length, 14);
  });

  it(`stops at ${MAX_INLAY_HINTS} hints`, () => {
    const text = [V2_HEADER, ...Array.from({ length: 400 }, () => SSH)].join('\n');
    assert.equal(hintsOf(text).length, MAX_INLAY_HINTS);
  });

  it('labels a repeated port or flags value by the protocol of its own record', () => {
    // One request decodes each distinct value once; the protocol must be part of what is reused.
    const text = ['# fields: version srcaddr dstaddr srcport dstport protocol tcp-flags', '3 10.0.0.1 10.0.0.2 40000 22 6 0', '3 10.0.0.1 10.0.0.2 40000 22 17 0', '3 10.0.0.1 10.0.0.2 40000 22 6 0'].join('\n');
    const hints = hintsOf(text, DECODED);
    assert.deepEqual(decodedOn(text, 1, hints), ['22 → SSH', '6 → TCP', '0 → no SYN/FIN/RST']);
    assert.deepEqual(decodedOn(text, 2, hints), ['17 → UDP', '0 → none']);
    assert.deepEqual(decodedOn(text, 3, hints), decodedOn(text, 1, hints));
  });

  for (const kind of KINDS) {
    it(`gives each value the label decodeValue gives it with its whole record as context (${kind})`, () => {
      const text = generate({ kind, bytes: 40_000, seed: 99, malformedRate: 0.05 });
      const doc = new FlowLogDocument(text);
      const hints = inlayHints(doc, everything(text), DECODED);
      assert.ok(hints.length > 500 && hints.length < MAX_INLAY_HINTS, `${hints.length} hints`);
      const byPosition = new Map(hints.map((h) => [`${h.position.line}:${h.position.character}`, String(h.label)]));
      let protocolDependent = 0;
      for (let line = 0; line < doc.lines.lineCount; line++) {
        const parsed = parseLine(doc, line);
        if (parsed.kind !== 'record') continue;
        const context = decodeContext(parsed);
        for (const token of parsed.tokens) {
          const label = byPosition.get(`${line}:${token.end}`);
          const expected = token.field && token.index < parsed.format.names.length ? (decodeValue(token.field, token.text, context)?.short ?? '') : '';
          if (label !== undefined) {
            // An end time on the start's day shows only its time of day.
            if (token.name === 'end' && label.length < expected.length) assert.equal(expected.slice(11), label, `line ${line} ${token.name}`);
            else assert.equal(label, expected, `line ${line} ${token.name} ${token.text}`);
          }
          if (token.field?.kind === 'port' || token.field?.kind === 'tcpFlags') {
            protocolDependent++;
            const shown = !['', 'null', 'ephemeral', 'no port'].includes(expected);
            assert.equal(label !== undefined, shown, `line ${line} ${token.name} ${token.text} → ${expected}`);
          }
        }
      }
      assert.ok(protocolDependent > 100);
    });
  }
});
