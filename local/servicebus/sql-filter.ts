// The subset of the Service Bus SQL filter grammar the emulator evaluates: literals, system
// (`sys.Label`) and user (`user.region`, `region`) properties, comparisons, IS [NOT] NULL,
// AND/OR/NOT and parentheses. Anything else is refused when the config loads, so a filter
// is never silently wrong. Property names are matched case-insensitively, as in Azure.
import { PlatformError } from '../../shared/errors.js';
import type { FilterProperties } from './amqp-message.js';

type Value = string | number | boolean | undefined;
type Expression = (properties: FilterProperties) => Value;

const tokenPattern =
  /\s*(?:(\d+(?:\.\d+)?)|'((?:[^']|'')*)'|(<>|!=|>=|<=|=|<|>|\(|\))|((?:sys\.|user\.)?\[[^\]]+\]|(?:sys\.|user\.)?[A-Za-z_][A-Za-z0-9_]*))/y;

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'symbol'; value: string }
  | { kind: 'word'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < text.trimEnd().length) {
    const at = tokenPattern.lastIndex;
    const match = tokenPattern.exec(text);
    if (!match) throw invalid(text, `unexpected character at position ${at + 1}`);
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]) });
    else if (match[2] !== undefined) tokens.push({ kind: 'string', value: match[2].replace(/''/g, "'") });
    else if (match[3] !== undefined) tokens.push({ kind: 'symbol', value: match[3] });
    else tokens.push({ kind: 'word', value: match[4] as string });
  }
  return tokens;
}

function invalid(text: string, reason: string): PlatformError {
  return new PlatformError('INVALID_CONFIG', `Unsupported SQL filter '${text}': ${reason}`, {
    sqlExpression: text,
  });
}

/** Compiles a SQL filter expression into a predicate; throws INVALID_CONFIG on what it cannot evaluate. */
export function compileSqlFilter(text: string): (properties: FilterProperties) => boolean {
  const tokens = tokenize(text);
  let position = 0;
  const peekWord = (): string | undefined => {
    const token = tokens[position];
    return token?.kind === 'word' ? token.value.toUpperCase() : undefined;
  };
  const peekSymbol = (): string | undefined => {
    const token = tokens[position];
    return token?.kind === 'symbol' ? token.value : undefined;
  };
  const expectSymbol = (symbol: string): void => {
    if (peekSymbol() !== symbol) throw invalid(text, `expected '${symbol}'`);
    position += 1;
  };

  const parseOr = (): Expression => {
    let left = parseAnd();
    while (peekWord() === 'OR') {
      position += 1;
      const [a, b] = [left, parseAnd()];
      left = (p) => truthy(a(p)) || truthy(b(p));
    }
    return left;
  };
  const parseAnd = (): Expression => {
    let left = parseNot();
    while (peekWord() === 'AND') {
      position += 1;
      const [a, b] = [left, parseNot()];
      left = (p) => truthy(a(p)) && truthy(b(p));
    }
    return left;
  };
  const parseNot = (): Expression => {
    if (peekWord() === 'NOT') {
      position += 1;
      const inner = parseNot();
      return (p) => !truthy(inner(p));
    }
    return parseComparison();
  };
  const parseComparison = (): Expression => {
    const left = parseOperand();
    if (peekWord() === 'IS') {
      position += 1;
      const negate = peekWord() === 'NOT';
      if (negate) position += 1;
      if (peekWord() !== 'NULL') throw invalid(text, 'expected NULL after IS');
      position += 1;
      return (p) => (left(p) === undefined) !== negate;
    }
    const operator = peekSymbol();
    if (!operator || operator === '(' || operator === ')') return left;
    position += 1;
    const right = parseOperand();
    return (p) => compare(left(p), operator, right(p));
  };
  const parseOperand = (): Expression => {
    const token = tokens[position];
    if (!token) throw invalid(text, 'unexpected end of expression');
    position += 1;
    if (token.kind === 'number' || token.kind === 'string') return () => token.value;
    if (token.kind === 'symbol') {
      if (token.value !== '(') throw invalid(text, `unexpected '${token.value}'`);
      const inner = parseOr();
      expectSymbol(')');
      return inner;
    }
    const upper = token.value.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return () => upper === 'TRUE';
    if (['AND', 'OR', 'NOT', 'IS', 'NULL', 'IN', 'LIKE', 'EXISTS'].includes(upper))
      throw invalid(text, `'${token.value}' is not supported here`);
    return propertyReader(token.value);
  };

  const expression = parseOr();
  if (position !== tokens.length) throw invalid(text, `unexpected '${String(tokens[position]?.value)}'`);
  return (properties) => truthy(expression(properties));
}

function propertyReader(reference: string): Expression {
  const [scope, rawName] = reference.includes('.')
    ? (reference.split(/\.(.*)/s) as [string, string])
    : ['user', reference];
  const name = rawName.replace(/^\[|\]$/g, '').toLowerCase();
  return (properties) => {
    const bag = scope.toLowerCase() === 'sys' ? properties.system : properties.application;
    const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : bag[key];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? value
      : undefined;
  };
}

function truthy(value: Value): boolean {
  return value === true;
}

function compare(left: Value, operator: string, right: Value): boolean {
  if (left === undefined || right === undefined || typeof left !== typeof right) return false;
  switch (operator) {
    case '=':
      return left === right;
    case '<>':
    case '!=':
      return left !== right;
    case '>':
      return left > right;
    case '<':
      return left < right;
    case '>=':
      return left >= right;
    default:
      return left <= right;
  }
}
