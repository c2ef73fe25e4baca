import { describe, expect, it } from 'vitest';
import { decodeTriggerMetadata, resolveBindingExpressions } from '../../../local/host/binding-expressions.js';
import {
  decodeMessage,
  encodeMessage,
  messageAsTypedData,
  outputMessages,
} from '../../../local/host/storage/message-encoding.js';

describe('binding expressions', () => {
  it('resolves trigger values, nested properties and built-ins', () => {
    const data = decodeTriggerMetadata({ name: { string: 'a.csv' }, Properties: { json: '{"Length":3}' } });
    expect(resolveBindingExpressions('copies/{name}', data, 'test')).toBe('copies/a.csv');
    expect(resolveBindingExpressions('{properties.Length}', data, 'test')).toBe('3');
    expect(resolveBindingExpressions('x/{rand-guid}', data, 'test')).toMatch(/^x\/[0-9a-f-]{36}$/);
  });

  it('names an expression the trigger does not provide', () => {
    expect(() => resolveBindingExpressions('out/{missing}', {}, "binding 'out'")).toThrow(
      "binding 'out': the binding expression {missing} has no value in the trigger data.",
    );
  });
});

describe('queue messages', () => {
  it('round-trips base64 and passes plain text through', () => {
    expect(decodeMessage(encodeMessage('{"a":1}', 'base64'), 'base64')).toBe('{"a":1}');
    expect(decodeMessage('plain text!', 'base64')).toBe('plain text!');
    expect(decodeMessage('aGk=', 'none')).toBe('aGk=');
  });

  it('gives JSON messages to functions as JSON', () => {
    expect(messageAsTypedData('{"a":1}')).toEqual({ json: '{"a":1}' });
    expect(messageAsTypedData('hello')).toEqual({ string: 'hello' });
  });

  it('turns an array written to an output binding into one message per item', () => {
    expect(outputMessages({ json: '[{"a":1},"b"]' })).toEqual(['{"a":1}', 'b']);
    expect(outputMessages({ string: 'x' })).toEqual(['x']);
  });
});
