import { describe, expect, it } from 'vitest';
import { layoutLineage } from '../../../console/src/lineage-layout.js';
import { modelGraph } from '../../../shared/registry/lineage.js';
import { newVersion } from '../../support/registry/fixtures.js';
import type { ModelVersion } from '../../../shared/registry/model-version.js';

function version(number: number, parent?: number): ModelVersion {
  const input = newVersion('churn', `run-${number}`, parent ? { parent } : {});
  return {
    ...input,
    version: number,
    artifact: { ...input.artifact, uri: `models/churn/${number}/model.onnx` },
    createdAt: '2026-01-01T00:00:00Z',
    archived: false,
  };
}

describe('lineage layout', () => {
  const graph = modelGraph(
    [version(1), version(2, 1)],
    [],
    [
      {
        from: { kind: 'version', model: 'churn', version: 2 },
        to: { kind: 'output', uri: 'scoring-output/churn/b1/x.csv' },
        kind: 'scored',
      },
    ],
  );
  const layout = layoutLineage(graph);
  const at = (id: string) => layout.nodes.find((node) => node.id === id)!;

  it('puts data left of runs, runs left of versions, versions left of outputs', () => {
    const dataset = layout.nodes.find((node) => node.kind === 'dataset')!;
    expect(dataset.x).toBeLessThan(at('run:run-1').x);
    expect(at('run:run-1').x).toBeLessThan(at('version:churn/1').x);
    expect(at('version:churn/2').x).toBeLessThan(at('output:scoring-output/churn/b1/x.csv').x);
  });

  it('orders versions by number down their column and places every edge', () => {
    expect(at('version:churn/1').y).toBeLessThan(at('version:churn/2').y);
    // A version's run sits level with it or above the next version's.
    expect(at('run:run-1').y).toBeLessThan(at('run:run-2').y);
    expect(at('run:run-2').y).toBeGreaterThan(at('profile:profiles/churn/run-1.json').y);
    expect(layout.edges).toHaveLength(graph.edges.length);
    expect(layout.width).toBeGreaterThan(0);
    expect(layout.height).toBeGreaterThan(0);
  });

  it('lays out an empty graph as nothing', () => {
    expect(layoutLineage({ nodes: [], edges: [] })).toEqual({ nodes: [], edges: [], width: 0, height: 0 });
  });
});
