// Evaluation by the platform, never trusting the trainer's numbers: the candidate's graph runs
// in onnxruntime on the holdout the trainer never saw, and so does the current holder of the
// spec's alias (the champion), on the same rows. The candidate's predictions on the holdout are
// profiled into the version's drift baseline (`profile.json`: training profile + predictions).
import { readProfile } from '../../data/profile/profile-schema.js';
import { sha256Hex } from '../../artifacts/checksum.js';
import { loadVerifiedArtifact } from '../../artifacts/model-artifacts.js';
import { PlatformError } from '../../errors.js';
import { evaluateOnnx, type Metrics } from '../../ml/evaluate.js';
import { interfaceOf } from '../../ml/model-interface.js';
import type { OnnxSignature } from '../../registry/model-version.js';
import { readRunCsv } from '../dataset-files.js';
import { modelProfile } from '../model-baseline.js';
import { signatureOf } from '../../registry/onnx-signature.js';
import type { PipelineServices } from '../pipeline-services.js';
import { readBlob, runPaths, writeBlob } from '../run-blobs.js';
import type { ReadPlan, RunRef } from './data-steps.js';

export interface Evaluated {
  metrics: Metrics;
  /** The alias holder on the same holdout; null when the alias serves nothing yet. */
  champion: { version: number; metrics: Metrics } | null;
  /** Why the champion could not be scored, when it could not (another schema, say). */
  championNote?: string;
  artifact: { sha256: string; size: number };
  signature: OnnxSignature;
  classes: string[];
  holdoutRows: number;
  baseline: { uri: string; sha256: string };
}

async function championOf(services: PipelineServices, model: string, alias: string) {
  try {
    return await services.registry.getAlias(model, alias);
  } catch (error) {
    if (error instanceof PlatformError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

export async function evaluateStep(
  services: PipelineServices,
  input: RunRef & { plan: ReadPlan; alias: string },
): Promise<Evaluated> {
  const paths = runPaths(input.model, input.runId);
  const bytes = await readBlob(services.blobs, paths.model);
  const holdout = await readRunCsv(services.blobs, paths.holdout, {
    target: input.plan.target,
    task: input.plan.task,
    features: input.plan.schema,
    limits: { minRows: 1 },
  });
  const candidate = await evaluateOnnx(bytes, holdout, input.plan.target);

  let champion: Evaluated['champion'] = null;
  let championNote: string | undefined;
  const holder = await championOf(services, input.model, input.alias);
  if (holder) {
    const owner = { model: input.model, version: holder.version, artifact: holder.artifact };
    try {
      const scored = await evaluateOnnx(
        await loadVerifiedArtifact(services.artifacts, owner),
        holdout,
        input.plan.target,
      );
      champion = { version: holder.version, metrics: scored.metrics };
    } catch (error) {
      // A champion that cannot score this data (its features are gone) has no metrics to beat.
      championNote = `champion version ${holder.version} could not score the holdout: ${(error as Error).message}`;
      champion = { version: holder.version, metrics: {} };
    }
  }

  const training = readProfile(JSON.parse((await readBlob(services.blobs, paths.profile)).toString('utf8')));
  const baseline = modelProfile(
    training,
    candidate.task,
    candidate.classes,
    candidate.outputs,
    candidate.rows,
  );
  const baselineText = `${JSON.stringify(baseline, null, 2)}\n`;
  await writeBlob(services.blobs, paths.baseline, baselineText);
  return {
    metrics: candidate.metrics,
    champion,
    ...(championNote ? { championNote } : {}),
    artifact: { sha256: sha256Hex(bytes), size: bytes.length },
    signature: signatureOf(interfaceOf(bytes)),
    classes: candidate.classes,
    holdoutRows: candidate.rows,
    baseline: { uri: paths.baseline, sha256: sha256Hex(Buffer.from(baselineText)) },
  };
}
