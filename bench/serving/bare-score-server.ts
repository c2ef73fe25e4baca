// The score-warm baseline: a bare node:http server that parses the same JSON body and runs the
// same model in the same onnxruntime session, with no checks, policy, capture or Functions
// library. Usage: node bare-score-server.js MODEL.onnx
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import * as ort from 'onnxruntime-node';
import { interfaceOf } from '../../shared/ml/model-interface.js';
import { openSession } from '../../shared/ml/onnx-runtime.js';

const bytes = readFileSync(process.argv[2]!);
const { features, classes } = interfaceOf(bytes);
const session = await openSession(bytes);

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    void (async () => {
      const { rows } = JSON.parse(Buffer.concat(chunks).toString()) as { rows: Record<string, number>[] };
      const feeds: Record<string, ort.Tensor> = {};
      for (const f of features) {
        feeds[f.name] = new ort.Tensor(
          'float32',
          Float32Array.from(rows, (row) => row[f.name] ?? Number.NaN),
          [rows.length, 1],
        );
      }
      const result = await session.run(feeds, ['label', 'probabilities']);
      const probabilities = result.probabilities!.data as Float32Array;
      const body = JSON.stringify({
        predictions: result.label!.data,
        probabilities: rows.map((_, r) =>
          Array.from(probabilities.subarray(r * classes.length, (r + 1) * classes.length)),
        ),
        classes,
      });
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    })();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`Host listening on http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
