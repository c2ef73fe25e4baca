// A batch run's lineage, as edges the registry records (it cannot derive them): each input file
// (a dataset, by content hash) is an input of the run, the pinned version scored in the run, and
// the run produced each output, rejects file and the manifest. So the registry's lineage route
// answers both "what did version 3 score, into which files" and "where did this output come from".
import type { RecordedEdge, NodeRef } from '../registry/lineage.js';
import { manifestName, outputUri } from './batch-layout.js';
import type { LineageInput } from './batch-orchestrator.js';

export function batchRunEdges(run: LineageInput): RecordedEdge[] {
  const self: NodeRef = { kind: 'run', runId: run.runId };
  const produced = (uri: string): RecordedEdge => ({
    from: self,
    to: { kind: 'output', uri },
    kind: 'produced',
  });
  const edges: RecordedEdge[] = [
    { from: { kind: 'version', model: run.model, version: run.version }, to: self, kind: 'scored' },
  ];
  for (const file of run.files) {
    if (file.inputSha256) {
      edges.push({
        from: { kind: 'dataset', sha256: file.inputSha256, uri: file.input },
        to: self,
        kind: 'input-of',
      });
    }
    if (file.output) edges.push(produced(file.output));
    if (file.rejects) edges.push(produced(file.rejects));
  }
  edges.push(produced(outputUri(run.model, run.runId, manifestName)));
  return edges;
}
