import { CONFORMANCE_DIR } from '../fixtures/paths';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FlowLogDocument } from '../../server/src/service/document';
import {
  SEMANTIC_TOKEN_MODIFIERS,
  SEMANTIC_TOKEN_SCOPES,
  SEMANTIC_TOKEN_TYPE_INFO,
  SEMANTIC_TOKEN_TYPES,
  MAX_TOKENS_PER_LINE,
  semanticTokens,
} from '../../server/src/service/semanticTokens';
import { conformanceText } from './helpers';

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const SSH = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const RDP = '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK';
const NODATA = '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA';

interface Token {
  line: number;
  character: number;
  text: string;
  type: string;
  modifiers: string[];
}

/** Decodes LSP's relative encoding back into absolute tokens with their text. */
function decode(text: string, data: number[]): Token[] {
  assert.equal(data.length % 5, 0);
  const lines = text.split(/\r\n|\r|\n/);
  const tokens: Token[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, bits] = data.slice(i, i + 5);
    assert.ok(deltaLine >= 0 && length > 0, `token ${i / 5} is out of order or empty`);
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    assert.ok(character + length <= lines[line].length, `token ${i / 5} runs past line ${line}`);
    const modifiers = SEMANTIC_TOKEN_MODIFIERS.filter((_, bit) => bits & (1 << bit));
    tokens.push({ line, character, text: lines[line].slice(character, character + length), type: SEMANTIC_TOKEN_TYPES[type], modifiers });
  }
  return tokens;
}

function tokensOf(text: string, range?: { startLine: number; endLine: number }): Token[] {
  return decode(text, semanticTokens(new FlowLogDocument(text), range));
}

const typeOf = (tokens: Token[], line: number, text: string): string | undefined => tokens.find((t) => t.line === line && t.text === text)?.type;

describe('semantic tokens', () => {
  it('colours at most MAX_TOKENS_PER_LINE values of an absurdly long line, and the lines after it', () => {
    const long = `${SSH} ${Array.from({ length: 3 * MAX_TOKENS_PER_LINE }, () => '7').join(' ')}`;
    const data = semanticTokens(new FlowLogDocument(`${V2_HEADER}\n${long}\n${SSH}\n`), { startLine: 1, endLine: 2 });
    // Five integers per token: the long line's first MAX_TOKENS_PER_LINE values, then the 14 of the next line.
    assert.equal(data.length / 5, MAX_TOKENS_PER_LINE + 14);
  });

  it('colours every value of a default record by its field class', () => {
    const tokens = tokensOf(`${V2_HEADER}\n${SSH}`).filter((t) => t.line === 1);
    assert.deepEqual(
      tokens.map((t) => [t.text, t.type]),
      [
        ['2', 'flowlogVersion'],
        ['123456789010', 'flowlogAccount'],
        ['eni-1235b8ca123456789', 'flowlogResource'],
        ['172.31.16.139', 'flowlogAddress'],
        ['172.31.16.21', 'flowlogAddress'],
        ['20641', 'flowlogPort'],
        ['22', 'flowlogPort'],
        ['6', 'flowlogProtocol'],
        ['20', 'flowlogCounter'],
        ['4249', 'flowlogCounter'],
        ['1418530010', 'flowlogTime'],
        ['1418530070', 'flowlogTime'],
        ['ACCEPT', 'flowlogAccept'],
        ['OK', 'flowlogStatus'],
      ],
    );
    assert.ok(tokens.every((t) => t.modifiers.length === 0));
  });

  it('tells ACCEPT from REJECT, OK from NODATA, and colours - as null', () => {
    const tokens = tokensOf(`${V2_HEADER}\n${SSH}\n${RDP}\n${NODATA}`);
    assert.equal(typeOf(tokens, 1, 'ACCEPT'), 'flowlogAccept');
    assert.equal(typeOf(tokens, 2, 'REJECT'), 'flowlogReject');
    assert.equal(typeOf(tokens, 3, 'NODATA'), 'flowlogNoData');
    assert.equal(typeOf(tokens, 1, 'OK'), 'flowlogStatus');
    const nulls = tokens.filter((t) => t.line === 3 && t.text === '-');
    assert.equal(nulls.length, 8);
    assert.ok(nulls.every((t) => t.type === 'flowlogNull'));
  });

  it('colours SKIPDATA like NODATA (AWS example)', () => {
    const text = conformanceText('awsdocs-amazon-vpc-user-guide', 'v2_default_nodata_skipdata.txt');
    const tokens = tokensOf(text);
    assert.equal(tokens.find((t) => t.text === 'SKIPDATA')?.type, 'flowlogNoData');
  });

  it('colours v5 classes: flags, type, location, service and direction', () => {
    const text = conformanceText('awsdocs-amazon-vpc-user-guide', 'v5_custom_service_path_direction.txt');
    const tokens = tokensOf(text);
    const egress = tokens.filter((t) => t.line === 4);
    const byText = (value: string): string | undefined => egress.find((t) => t.text === value)?.type;
    assert.equal(byText('IPv4'), 'flowlogProtocol');
    assert.equal(byText('ap-southeast-2'), 'flowlogLocation');
    assert.equal(byText('apse2-az3'), 'flowlogLocation');
    assert.equal(byText('S3'), 'flowlogService');
    assert.equal(byText('8'), 'flowlogDirection');
    assert.equal(byText('egress'), 'flowlogDirection');
    assert.equal(byText('3'), 'flowlogFlags');
  });

  it('marks values that do not fit their field, unknown names and extra values as invalid', () => {
    const header = V2_HEADER.replace('protocol', 'protocl');
    const tokens = tokensOf(`${header}\n${SSH.replace(' OK', ' 0K')}\n${SSH} 42`);
    const misspelt = tokens.find((t) => t.line === 0 && t.text === 'protocl');
    assert.deepEqual([misspelt?.type, misspelt?.modifiers], ['flowlogFieldName', ['invalid']]);
    const typo = tokens.find((t) => t.line === 1 && t.text === '0K');
    assert.deepEqual([typo?.type, typo?.modifiers], ['flowlogStatus', ['invalid']]);
    const extra = tokens.find((t) => t.line === 2 && t.text === '42');
    assert.deepEqual([extra?.type, extra?.modifiers], ['flowlogValue', ['invalid']]);
    assert.deepEqual(tokens.find((t) => t.line === 2 && t.text === 'OK')?.modifiers, []);
  });

  it('colours comments, the directive keyword, its names and a trailing remark', () => {
    // The directive comes first.
    const tokens = tokensOf(`# format: ${V2_HEADER}  (default v2)\n${SSH}\n# done`);
    assert.deepEqual(tokens[0], { line: 0, character: 0, text: '# format:', type: 'flowlogDirective', modifiers: [] });
    assert.equal(tokens.filter((t) => t.line === 0 && t.type === 'flowlogFieldName').length, 14);
    assert.equal(tokens.find((t) => t.line === 0 && t.type === 'flowlogComment')?.text, '(default v2)');
    assert.deepEqual(tokens.at(-1), { line: 2, character: 0, text: '# done', type: 'flowlogComment', modifiers: [] });
  });

  it('colours a CloudWatch timestamp prefix and trailing comments (AWS NAT example)', () => {
    const stamped = tokensOf(`2018-09-22T20:28:14.000Z ${SSH}`);
    assert.deepEqual([stamped[0].text, stamped[0].type], ['2018-09-22T20:28:14.000Z', 'flowlogTimestamp']);
    assert.equal(stamped[1].type, 'flowlogVersion');
    const nat = conformanceText('awsdocs-amazon-vpc-user-guide', 'custom_nat_gateway.txt');
    const comments = tokensOf(nat).filter((t) => t.type === 'flowlogComment' && t.text.startsWith('#Traffic'));
    assert.equal(comments.length, 1);
    assert.equal(tokensOf(nat).filter((t) => t.text.startsWith('#Response')).length, 1);
  });

  it('returns only the lines of a range, encoded from the start of the document', () => {
    const lines = [V2_HEADER, SSH, RDP, NODATA, SSH, RDP];
    const text = lines.join('\n');
    const full = tokensOf(text);
    const data = semanticTokens(new FlowLogDocument(text), { startLine: 2, endLine: 3 });
    assert.equal(data[0], 2, 'first deltaLine is relative to line 0');
    const ranged = decode(text, data);
    assert.deepEqual(ranged, full.filter((t) => t.line === 2 || t.line === 3));
    assert.deepEqual(semanticTokens(new FlowLogDocument(text), { startLine: 10, endLine: 20 }), []);
  });

  it('leaves prose to the grammar', () => {
    const tokens = tokensOf('The following are examples of default flow log records.\n# a comment');
    assert.deepEqual(tokens.map((t) => t.type), ['flowlogComment']);
  });

  it('produces ordered tokens inside their lines for every conformance file', () => {
    const folder = CONFORMANCE_DIR;
    for (const dir of readdirSync(folder, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const file of readdirSync(join(folder, dir.name)).filter((f) => !f.endsWith('.json'))) {
        const text = readFileSync(join(folder, dir.name, file), 'utf8');
        assert.ok(tokensOf(text).length > 0, file);
      }
    }
  });
});

describe('semantic token legend', () => {
  it('has scopes and a super type for every type', () => {
    assert.deepEqual(Object.keys(SEMANTIC_TOKEN_SCOPES).sort(), [...SEMANTIC_TOKEN_TYPES].sort());
    assert.deepEqual(Object.keys(SEMANTIC_TOKEN_TYPE_INFO).sort(), [...SEMANTIC_TOKEN_TYPES].sort());
    for (const scopes of Object.values(SEMANTIC_TOKEN_SCOPES)) {
      assert.ok(scopes.length > 0 && scopes.every((scope) => scope.endsWith('.flowlog')));
    }
  });

  it('uses the grammar’s own scopes where the grammar has the same notion', () => {
    const grammar = readFileSync(join(__dirname, '..', '..', 'syntaxes', 'flowlog.tmLanguage.json'), 'utf8');
    const shared = ['flowlogAccept', 'flowlogReject', 'flowlogNull', 'flowlogFieldName', 'flowlogComment', 'flowlogDirective', 'flowlogTimestamp', 'flowlogStatus', 'flowlogNoData'] as const;
    for (const type of shared) {
      for (const scope of SEMANTIC_TOKEN_SCOPES[type]) assert.ok(grammar.includes(scope), `${type}: ${scope} is not in the grammar`);
    }
  });
});
