// A stand-in for Application Insights' ingestion endpoint (POST /v2.1/track, HTTPS only, gzip or
// plain JSON arrays of envelopes), collecting what the Azure Monitor exporter sends. It serves
// the Cosmos DB emulator's self-signed certificate; the sending process must accept it
// (NODE_TLS_REJECT_UNAUTHORIZED=0 in that process alone).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface Envelope {
  name: string;
  tags: Record<string, string>;
  data: {
    baseType: string;
    baseData: { name?: string; id?: string; success?: boolean; metrics?: { name: string }[] };
  };
}

export interface FakeIngestion {
  /** An APPLICATIONINSIGHTS_CONNECTION_STRING pointing at this server. */
  connectionString: string;
  received: Envelope[];
  stop(): Promise<void>;
}

export async function startFakeIngestion(): Promise<FakeIngestion> {
  const certs = dirname(createRequire(import.meta.url).resolve('@vercel/cosmosdb-server/package.json'));
  const received: Envelope[] = [];
  const tls = { cert: readFileSync(join(certs, 'cert.pem')), key: readFileSync(join(certs, 'key.pem')) };
  const server = createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const items = (
        text.trim().startsWith('[')
          ? JSON.parse(text)
          : text
              .split('\n')
              .filter(Boolean)
              .map((line) => JSON.parse(line) as unknown)
      ) as Envelope[];
      received.push(...items);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:${port}/`,
    received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Keep every trace and skip the live metrics stream and statsbeat, which would leave loopback. */
export const testTelemetryEnv = {
  APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
  APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({
    enableLiveMetrics: false,
    tracesPerSecond: 0,
    samplingRatio: 1,
  }),
};
