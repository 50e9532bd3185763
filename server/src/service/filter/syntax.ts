/**
 * The filter language's syntax: a lexer and a recursive-descent parser that turn
 * `action = reject and dstport in (22, 3389) and not srcaddr in 10.0.0.0/8` into a tree whose
 * every node knows its span in the text, so that errors point at what is wrong. Field names are
 * checked against the catalog here (with a "did you mean"); values are read against the file's
 * format in bind.ts. Pure: no Node APIs.
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | '(' expr ')' | test
 *   test    := FIELD op value | FIELD ['not'] 'in' set | FIELD 'has' value
 *   op      := '=' | '!=' | '<' | '<=' | '>' | '>='
 *   set     := '(' item (',' item)* ')' | item
 *   item    := value ['..' value]
 *   value   := WORD | "quoted"  | '-'
 */
import { lookupField } from '../../catalog/fields';
import { editDistance, suggestFieldName } from '../fieldList';
import { FilterError } from './errors';

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface ValueNode extends Span {
  /** The value as written, quotes removed. */
  readonly text: string;
  readonly quoted: boolean;
}

export interface ItemNode extends Span {
  readonly from: ValueNode;
  /** Upper end of a range `from..to`. */
  readonly to?: ValueNode;
}

export interface FieldNode extends Span {
  /** Catalog name (`log-status`) or a pseudo-field (`addr`, `port`, `pkt-addr`). */
  readonly name: string;
}

export type FilterNode =
  | ({ readonly type: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode } & Span)
  | ({ readonly type: 'not'; readonly operand: FilterNode } & Span)
  | ({ readonly type: 'compare'; readonly field: FieldNode; readonly op: CompareOp; readonly value: ValueNode } & Span)
  | ({ readonly type: 'in'; readonly field: FieldNode; readonly items: readonly ItemNode[] } & Span)
  | ({ readonly type: 'has'; readonly field: FieldNode; readonly value: ValueNode } & Span);

/** Fields that stand for several: any of them may match. */
export const PSEUDO_FIELDS: Readonly<Record<string, readonly string[]>> = {
  addr: ['srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr'],
  port: ['srcport', 'dstport'],
  'pkt-addr': ['pkt-srcaddr', 'pkt-dstaddr'],
};

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'has']);
const OPERATORS: readonly CompareOp[] = ['<=', '>=', '!=', '=', '<', '>'];

type TokenKind = 'word' | 'string' | 'op' | '(' | ')' | ',' | '..' | 'end';

interface Token extends Span {
  readonly kind: TokenKind;
  readonly text: string;
}

/** Characters that end a word: blanks, brackets, commas, quotes and operator characters. */
const WORD_END = /[\s(),"=!<>]/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === '"') {
      i = readString(source, i, tokens);
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    if (c === '!') throw new FilterError('`!` must be followed by `=`; write `not` to negate', i, i + 1);
    if (source.startsWith('..', i)) {
      tokens.push({ kind: '..', text: '..', start: i, end: i + 2 });
      i += 2;
      continue;
    }
    // A word runs to a separator, and stops before `..` (no flow log value holds two dots in a row).
    const start = i;
    while (i < source.length && !WORD_END.test(source[i]) && !source.startsWith('..', i)) i++;
    tokens.push({ kind: 'word', text: source.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'end', text: '', start: source.length, end: source.length });
  return tokens;
}

function readString(source: string, open: number, tokens: Token[]): number {
  let text = '';
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\\' && i + 1 < source.length) {
      text += source[++i];
    } else if (c === '"') {
      tokens.push({ kind: 'string', text, start: open, end: i + 1 });
      return i + 1;
    } else {
      text += c;
    }
  }
  throw new FilterError('unterminated string: add the closing `"`', open, source.length);
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end of the filter' : `\`${token.text}\``;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  /** The next token; a method, not a getter, so that checks of its kind are not narrowed across calls. */
  private peek(): Token {
    return this.tokens[this.index];
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private take(): Token {
    return this.tokens[this.index++];
  }

  private fail(expected: string): never {
    const token = this.peek();
    throw new FilterError(`expected ${expected}, found ${describe(token)}`, token.start, Math.max(token.end, token.start + 1));
  }

  parseAll(): FilterNode {
    if (this.peek().kind === 'end') this.fail('a test such as `dstport = 22`');
    const node = this.parseOr();
    if (this.peek().kind !== 'end') this.fail(this.peek().kind === ')' ? 'the end of the filter (this `)` has no `(`)' : '`and`, `or` or the end of the filter');
    return node;
  }

  private parseOr(): FilterNode {
    return this.parseChain('or', () => this.parseAnd());
  }

  private parseAnd(): FilterNode {
    return this.parseChain('and', () => this.parseUnary());
  }

  /** Operands joined by `keyword`, grouped to the left: `a or b or c` is `(a or b) or c`. */
  private parseChain(keyword: 'and' | 'or', operand: () => FilterNode): FilterNode {
    let left = operand();
    while (this.isKeyword(keyword)) {
      this.take();
      const right = operand();
      left = { type: keyword, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    const token = this.peek();
    if (this.isKeyword('not')) {
      this.take();
      const operand = this.parseUnary();
      return { type: 'not', operand, start: token.start, end: operand.end };
    }
    if (token.kind === '(') {
      this.take();
      const inner = this.parseOr();
      if (this.peek().kind !== ')') this.fail('`)` to close the `(` at ' + (token.start + 1));
      this.take();
      return inner;
    }
    return this.parseTest();
  }

  private parseField(): FieldNode {
    const token = this.peek();
    if (token.kind !== 'word' || KEYWORDS.has(token.text.toLowerCase())) this.fail('a field name such as `dstport`');
    this.take();
    const written = token.text.toLowerCase();
    const pseudo = written.replace(/_/g, '-');
    if (PSEUDO_FIELDS[pseudo]) return { name: pseudo, start: token.start, end: token.end };
    const spec = lookupField(written);
    if (spec) return { name: spec.name, start: token.start, end: token.end };
    // A near miss of a pseudo-field (`adr`) wins over a catalog name further away.
    const pseudoMatch = Object.keys(PSEUDO_FIELDS).find((name) => editDistance(pseudo, name) <= 1);
    const suggestion = pseudoMatch ?? suggestFieldName(token.text);
    throw new FilterError(`\`${token.text}\` is not a field${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, token.start, token.end, suggestion);
  }

  private parseTest(): FilterNode {
    const field = this.parseField();
    const token = this.peek();
    if (token.kind === 'op') {
      this.take();
      const value = this.parseValue(`a value after \`${token.text}\``);
      return { type: 'compare', field, op: token.text as CompareOp, value, start: field.start, end: value.end };
    }
    if (this.isKeyword('has')) {
      this.take();
      const value = this.parseValue('a flag name after `has`, such as `syn`');
      return { type: 'has', field, value, start: field.start, end: value.end };
    }
    if (this.isKeyword('not')) {
      const not = this.take();
      if (!this.isKeyword('in')) this.fail('`in` after `not` (write `not` before the field to negate a test)');
      const node = this.parseIn(field);
      return { type: 'not', operand: node, start: not.start, end: node.end };
    }
    if (this.isKeyword('in')) return this.parseIn(field);
    return this.fail(`an operator after \`${field.name}\`: =, !=, <, <=, >, >=, in, not in or has`);
  }

  private parseIn(field: FieldNode): FilterNode {
    this.take();
    if (this.peek().kind !== '(') {
      const item = this.parseItem();
      return { type: 'in', field, items: [item], start: field.start, end: item.end };
    }
    const open = this.take();
    const items: ItemNode[] = [this.parseItem()];
    while (this.peek().kind === ',') {
      this.take();
      items.push(this.parseItem());
    }
    if (this.peek().kind !== ')') this.fail('`,` or `)` to close the list opened at ' + (open.start + 1));
    const close = this.take();
    return { type: 'in', field, items, start: field.start, end: close.end };
  }

  private parseItem(): ItemNode {
    const from = this.parseValue('a value, a range such as `1024..65535` or a CIDR such as `10.0.0.0/8`');
    if (this.peek().kind !== '..') return { from, start: from.start, end: from.end };
    this.take();
    const to = this.parseValue('the upper end of the range after `..`');
    return { from, to, start: from.start, end: to.end };
  }

  private parseValue(expected: string): ValueNode {
    const token = this.peek();
    if (token.kind === 'string') {
      this.take();
      return { text: token.text, quoted: true, start: token.start, end: token.end };
    }
    if (token.kind !== 'word' || KEYWORDS.has(token.text.toLowerCase())) this.fail(expected);
    this.take();
    return { text: token.text, quoted: false, start: token.start, end: token.end };
  }
}

/** Parses a filter; throws FilterError with the span of the problem. */
export function parseFilter(source: string): FilterNode {
  return new Parser(tokenize(source)).parseAll();
}
