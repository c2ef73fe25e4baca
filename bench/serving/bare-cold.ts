// The score-cold baseline: a fresh node process that downloads the same artifact from Azurite,
// checks its SHA-256, opens an onnxruntime session and scores one row, with nothing else loaded.
// Usage: node bare-cold.js CONNECTION_STRING BLOB_PATH SHA256
import { createHash } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import * as ort from 'onnxruntime-node';

const [connection, path, sha256] = process.argv.slice(2) as [string, string, string];
const bytes = await BlobServiceClient.fromConnectionString(connection)
  .getContainerClient('models')
  .getBlobClient(path)
  .downloadToBuffer();
if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new Error('checksum mismatch');
const session = await ort.InferenceSession.create(bytes);
const feeds = Object.fromEntries(
  session.inputNames.map((name) => [name, new ort.Tensor('float32', Float32Array.of(0.5), [1, 1])]),
);
await session.run(feeds);
console.log('scored');
