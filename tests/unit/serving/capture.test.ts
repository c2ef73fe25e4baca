// Capture writes each scored row as the JSON line DESIGN.md section 4 describes: the same text
// JSON.stringify gives for the row's object, missing inputs as null, one file per model and hour.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock.js';
import type { ModelInterface } from '../../../shared/ml/model-interface.js';
import type { ScoreEvent, Scored } from '../../../shared/scoring/scores.js';
import { Capture } from '../../../shared/serving/capture.js';
import { servingPolicySchema } from '../../../shared/serving/serving-policy.js';
import { eventually } from '../../support/host.js';

const at = Date.UTC(2026, 0, 2, 3, 4, 5);
const policy = servingPolicySchema.parse({});

function event(scored: Scored, extra: Partial<ScoreEvent> = {}): ScoreEvent {
  return {
    at,
    model: scored.model,
    version: scored.version,
    alias: scored.alias,
    requestId: 'req-1',
    ms: 1,
    shadow: false,
    scored,
    policy,
    defaultAlias: 'champion',
    ...extra,
  };
}

const classifier: Scored = {
  model: 'churn',
  version: 3,
  alias: 'champion',
  meta: {
    task: 'binary',
    classes: ['no', 'y"es'],
    features: [
      { name: 'tenure', type: 'numeric' },
      { name: 'plan "x"', type: 'categorical', categories: ['a'] },
    ],
  } as ModelInterface,
  table: {
    names: ['tenure', 'plan "x"'],
    rowCount: 2,
    columns: new Map([
      ['tenure', { kind: 'numeric', values: Float64Array.from([1.5, Number.NaN]) }],
      ['plan "x"', { kind: 'categorical', values: ['a\n', null] }],
    ]),
  },
  scores: { labels: ['no', 'y"es'], probabilities: Float32Array.from([0.75, 0.25, 0.125, 0.875]) },
};

const regressor: Scored = {
  model: 'price',
  version: 1,
  meta: { task: 'regression', classes: [], features: [{ name: 'area', type: 'numeric' }] } as ModelInterface,
  table: {
    names: ['area'],
    rowCount: 1,
    columns: new Map([['area', { kind: 'numeric', values: Float64Array.from([-0]) }]]),
  },
  scores: { values: Float32Array.from([2.5]) },
};

describe('Capture', () => {
  it('writes every row as the JSON.stringify text of its object, in a file per model and hour', async () => {
    const files = new Map<string, string>();
    const capture = new Capture({
      sink: { write: async (path, text) => void files.set(path, text) },
      clock: new ManualClock(at),
      random: () => 0,
      instance: 'i1',
      flushMs: 5,
      maxRows: 100,
      log: () => {},
    });
    capture.observe(event(classifier));
    capture.observe(event(regressor, { requestId: 'req-2', shadow: true, alias: undefined }));
    await eventually(() => capture.written === 3 || undefined, 5_000, 'the rows written');

    const ts = new Date(at).toISOString();
    const churn = [...files].find(([path]) => path.startsWith('churn/2026-01-02/03/'))![1];
    expect(churn).toBe(
      [
        {
          ts,
          requestId: 'req-1',
          model: 'churn',
          version: 3,
          alias: 'champion',
          inputs: { tenure: 1.5, 'plan "x"': 'a\n' },
          outputs: { prediction: 'no', probabilities: { no: 0.75, 'y"es': 0.25 } },
        },
        {
          ts,
          requestId: 'req-1',
          model: 'churn',
          version: 3,
          alias: 'champion',
          inputs: { tenure: null, 'plan "x"': null },
          outputs: { prediction: 'y"es', probabilities: { no: 0.125, 'y"es': 0.875 } },
        },
      ]
        .map((row) => JSON.stringify(row))
        .join('\n') + '\n',
    );
    const price = [...files].find(([path]) => path.startsWith('price/2026-01-02/03/'))![1];
    expect(price).toBe(
      JSON.stringify({
        ts,
        requestId: 'req-2',
        model: 'price',
        version: 1,
        alias: null,
        inputs: { area: 0 },
        outputs: { prediction: 2.5 },
        shadow: true,
      }) + '\n',
    );
  });
});
