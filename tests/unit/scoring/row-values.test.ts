import { describe, expect, it } from 'vitest';
import type { ModelFeature } from '../../../shared/ml/model.js';
import { checkRow, checkValue } from '../../../shared/scoring/row-values.js';

const age: ModelFeature = { name: 'age', type: 'numeric' };
const city: ModelFeature = { name: 'city', type: 'categorical', categories: ['Oslo', 'Lima'] };
const member: ModelFeature = { name: 'member', type: 'boolean' };

describe('checkValue', () => {
  it('accepts numbers from JSON and from CSV text, and missing values as NaN', () => {
    expect(checkValue(age, 42.5)).toEqual({ ok: true, value: 42.5 });
    expect(checkValue(age, '-1.5e2')).toEqual({ ok: true, value: -150 });
    expect(checkValue(age, null)).toEqual({ ok: true, value: Number.NaN });
    expect(checkValue(age, '')).toEqual({ ok: true, value: Number.NaN });
    expect(checkValue(age, 'NA')).toEqual({ ok: true, value: Number.NaN });
  });

  it('refuses text, non-finite and float32-overflowing numbers, naming the feature', () => {
    for (const raw of ['abc', 'Infinity', '0x1F', Number.POSITIVE_INFINITY, 1e39]) {
      const result = checkValue(age, raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain("feature 'age'");
    }
  });

  it('refuses an absent feature', () => {
    expect(checkValue(age, undefined)).toEqual({
      ok: false,
      reason: "feature 'age' is missing from the row",
    });
  });

  it('reads booleans as 0/1 from JSON and CSV spellings', () => {
    expect(checkValue(member, true)).toEqual({ ok: true, value: 1 });
    expect(checkValue(member, 'no')).toEqual({ ok: true, value: 0 });
    expect(checkValue(member, 1)).toEqual({ ok: true, value: 1 });
    expect(checkValue(member, 2).ok).toBe(false);
  });

  it('serves categories as text, numbers as their text, missing as null', () => {
    expect(checkValue(city, 'Oslo')).toEqual({ ok: true, value: 'Oslo' });
    expect(checkValue(city, 'Paris')).toEqual({ ok: true, value: 'Paris' });
    expect(checkValue(city, 7)).toEqual({ ok: true, value: '7' });
    expect(checkValue(city, null)).toEqual({ ok: true, value: null });
  });
});

describe('checkRow', () => {
  const features = [age, city];

  it('returns the values in feature order', () => {
    expect(checkRow(features, { city: 'Lima', age: '3' })).toEqual({ ok: true, values: [3, 'Lima'] });
  });

  it('names the first field that cannot be scored', () => {
    expect(checkRow(features, { age: 'x', city: 'Lima' })).toMatchObject({ ok: false, field: 'age' });
    expect(checkRow(features, { age: 1 })).toMatchObject({ ok: false, field: 'city' });
    expect(checkRow(features, { age: 1, city: 'Lima', height: 2 })).toEqual({
      ok: false,
      field: 'height',
      reason: "'height' is not a feature of the model",
    });
  });

  it('ignores extra fields when asked (a CSV with id columns)', () => {
    expect(checkRow(features, { id: '9', age: 1, city: 'Lima' }, { unknownFields: 'ignore' })).toEqual({
      ok: true,
      values: [1, 'Lima'],
    });
  });

  it('does not read inherited properties as features', () => {
    const row = JSON.parse('{"age": 1, "city": "Lima", "__proto__": {"x": 1}}') as Record<string, never>;
    expect(checkRow([age, { name: 'toString', type: 'numeric' }], { age: 1 })).toMatchObject({
      ok: false,
      field: 'toString',
    });
    expect(checkRow(features, row)).toMatchObject({ ok: false, field: '__proto__' });
  });
});
