import { describe, expect, it } from 'vitest';
import { parameterizedQuery } from '../../../local/cosmos/sql-parameters.js';

describe('parameterizedQuery', () => {
  it('turns binding expressions into named parameters holding string values', () => {
    const spec = parameterizedQuery(
      'SELECT * FROM c WHERE c.dept = {Query.dept} AND c.id = {id} AND c.other = {id}',
      { Query: { dept: "x' OR 1=1 --" }, id: 42 },
      'test',
    );
    expect(spec).toEqual({
      query: 'SELECT * FROM c WHERE c.dept = @Query_dept AND c.id = @id AND c.other = @id',
      parameters: [
        { name: '@Query_dept', value: "x' OR 1=1 --" },
        { name: '@id', value: '42' },
      ],
    });
  });

  it('names the expression that has no value', () => {
    expect(() => parameterizedQuery('SELECT * FROM c WHERE c.id = {missing}', {}, 'input x')).toThrow(
      /input x: the binding expression \{missing\} has no value/,
    );
  });
});
