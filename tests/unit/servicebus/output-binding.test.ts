import { describe, expect, it } from 'vitest';
import { outputBodies } from '../../../local/servicebus/output-binding.js';

const texts = (data: Parameters<typeof outputBodies>[0]) => outputBodies(data).map((b) => b.toString('utf8'));

describe('Service Bus output bodies', () => {
  it('makes one message per array element: strings as they are, other values as JSON', () => {
    expect(texts({ json: JSON.stringify([{ id: 1 }, 'two', 3, '"quoted"']) })).toEqual([
      '{"id":1}',
      'two',
      '3',
      '"quoted"',
    ]);
  });

  it('makes one message of an object, a string, bytes or a number', () => {
    expect(texts({ json: '{"id":1}' })).toEqual(['{"id":1}']);
    expect(texts({ string: 'hello' })).toEqual(['hello']);
    expect(outputBodies({ bytes: new Uint8Array([0, 255]) })).toEqual([Buffer.from([0, 255])]);
    expect(texts({ int: 7 })).toEqual(['7']);
    expect(texts({ double: 0.5 })).toEqual(['0.5']);
  });

  it('sends nothing for an empty array', () => {
    expect(outputBodies({ json: '[]' })).toEqual([]);
  });
});
