// The Open Inference Protocol (KServe V2) REST shapes over the model interface: one input
// tensor per feature (shape [N] or [N, 1]), outputs `label`, `probabilities` or `variable`.
// Requests are checked against the served version's features; errors name the input and index.
import { z } from 'zod';
import { PlatformError } from '../errors.js';
import type { Table } from '../data/table.js';
import type { ModelInterface } from '../ml/model-interface.js';
import type { ModelFeature } from '../ml/model.js';
import type { Scored } from './scores.js';
import { parseInput } from '../validate.js';
import { TableBuilder } from './table-builder.js';
import { tooManyRows } from './request-body.js';
import { checkValue, type RawValue } from './row-values.js';

const parameters = z.record(z.string(), z.unknown());

const inferRequestSchema = z.strictObject({
  id: z.string().max(256).optional(),
  parameters: parameters.optional(),
  inputs: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(256),
        shape: z.array(z.number().int().nonnegative()).min(1).max(2),
        datatype: z.string().min(1).max(16),
        parameters: parameters.optional(),
        data: z.array(z.unknown()),
      }),
    )
    .min(1),
  outputs: z
    .array(z.strictObject({ name: z.string().min(1).max(256), parameters: parameters.optional() }))
    .optional(),
});

export type InferRequest = z.output<typeof inferRequestSchema>;

export function inferRequestOf(body: unknown): InferRequest {
  return parseInput(inferRequestSchema, body, 'inference request');
}

const numericTypes = new Set([
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP32',
  'FP64',
]);

function fault(message: string, field: string, extra: Record<string, unknown> = {}): PlatformError {
  return new PlatformError('INVALID_INPUT', message, { field, ...extra });
}

function outputNames(meta: ModelInterface): string[] {
  return meta.task === 'regression' ? ['variable'] : ['label', 'probabilities'];
}

function checkDatatype(feature: ModelFeature, datatype: string, field: string): void {
  if (datatype === 'FP16') {
    throw fault(`Input '${feature.name}': FP16 cannot be sent as JSON numbers exactly; send FP32.`, field);
  }
  const accepted =
    feature.type === 'categorical' ? datatype === 'BYTES' : numericTypes.has(datatype) || datatype === 'BOOL';
  if (!accepted) {
    const expected = feature.type === 'categorical' ? 'BYTES' : 'FP32, FP64, INT*, UINT* or BOOL';
    throw fault(`Input '${feature.name}' has datatype ${datatype}; the model expects ${expected}.`, field);
  }
}

function checkElement(datatype: string, value: unknown): value is RawValue {
  if (datatype === 'BYTES') return typeof value === 'string';
  if (datatype === 'BOOL') return typeof value === 'boolean';
  if (typeof value !== 'number') return false;
  return datatype.startsWith('FP') || Number.isInteger(value);
}

/** The request's inputs as a checked table for the model, or a 400 naming input and index. */
export function inferTable(request: InferRequest, meta: ModelInterface, maxRows: number): Table {
  const available = outputNames(meta);
  request.outputs?.forEach((output, index) => {
    if (!available.includes(output.name)) {
      throw fault(
        `Unknown output '${output.name}'; the model has ${available.join(', ')}.`,
        `outputs.${index}.name`,
      );
    }
  });
  const byName = new Map(request.inputs.map((input, index) => [input.name, index] as const));
  const known = new Set(meta.features.map((f) => f.name));
  request.inputs.forEach((input, index) => {
    if (!known.has(input.name))
      throw fault(`Unknown input '${input.name}'; it is not a feature of the model.`, `inputs.${index}.name`);
    if (byName.get(input.name) !== index)
      throw fault(`Input '${input.name}' is given twice.`, `inputs.${index}.name`);
  });
  const missing = meta.features.find((f) => !byName.has(f.name));
  if (missing) throw fault(`Input '${missing.name}' is missing; send one input per feature.`, 'inputs');
  const rows = request.inputs[0]!.shape[0]!;
  if (rows > maxRows) throw tooManyRows(rows, maxRows, 'inputs.0.shape');
  const builder = new TableBuilder(meta.features, rows);
  meta.features.forEach((feature, f) => {
    const index = byName.get(feature.name)!;
    const input = request.inputs[index]!;
    const field = `inputs.${index}`;
    checkDatatype(feature, input.datatype, `${field}.datatype`);
    const [n, width = 1] = input.shape;
    if (n !== rows || width !== 1) {
      throw fault(
        `Input '${feature.name}' has shape [${input.shape.join(', ')}]; every input must be [${rows}] or [${rows}, 1].`,
        `${field}.shape`,
      );
    }
    const data = input.data.flat(2);
    if (data.length !== rows) {
      throw fault(
        `Input '${feature.name}' has ${data.length} values; its shape says ${rows}.`,
        `${field}.data`,
      );
    }
    data.forEach((value, row) => {
      if (!checkElement(input.datatype, value)) {
        throw fault(
          `Input '${feature.name}' index ${row}: ${JSON.stringify(value)} is not ${input.datatype}.`,
          `${field}.data.${row}`,
          { row },
        );
      }
      const checked = checkValue(feature, value);
      if (!checked.ok)
        throw fault(`Input '${feature.name}' index ${row}: ${checked.reason}.`, `${field}.data.${row}`, {
          row,
        });
      builder.set(f, row, checked.value);
    });
  });
  return builder.table();
}

export interface InferResponse {
  model_name: string;
  model_version: string;
  id: string;
  parameters?: Record<string, unknown>;
  outputs: { name: string; shape: number[]; datatype: string; data: unknown[] }[];
}

export function inferResponse(scored: Scored, request: InferRequest, id: string): InferResponse {
  const rows = scored.table.rowCount;
  const { scores, meta } = scored;
  const all = [
    { name: 'label', shape: [rows], datatype: 'BYTES', data: scores.labels ? [...scores.labels] : undefined },
    {
      name: 'probabilities',
      shape: [rows, meta.classes.length],
      datatype: 'FP32',
      data: scores.probabilities ? Array.from(scores.probabilities) : undefined,
    },
    {
      name: 'variable',
      shape: [rows, 1],
      datatype: 'FP32',
      data: scores.values ? Array.from(scores.values) : undefined,
    },
  ];
  const wanted = request.outputs?.map((o) => o.name);
  const outputs = all
    .filter((o) => o.data !== undefined && (!wanted || wanted.includes(o.name)))
    .map((o) => ({ ...o, data: o.data! }));
  return {
    model_name: scored.model,
    model_version: String(scored.version),
    id,
    ...(request.parameters ? { parameters: request.parameters } : {}),
    outputs,
  };
}

/** Model metadata: the served version's inputs and outputs, with the model's servable versions. */
export function modelMetadata(
  model: string,
  versions: readonly number[],
  meta: ModelInterface,
): Record<string, unknown> {
  const outputs =
    meta.task === 'regression'
      ? [{ name: 'variable', datatype: 'FP32', shape: [-1, 1] }]
      : [
          { name: 'label', datatype: 'BYTES', shape: [-1] },
          { name: 'probabilities', datatype: 'FP32', shape: [-1, meta.classes.length] },
        ];
  return {
    name: model,
    versions: versions.map(String),
    platform: 'onnx_onnxv1',
    inputs: meta.features.map((f) => ({
      name: f.name,
      datatype: f.type === 'categorical' ? 'BYTES' : 'FP32',
      shape: [-1, 1],
    })),
    outputs,
  };
}
