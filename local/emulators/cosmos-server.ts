// Entry point of the Cosmos DB emulator child process: @vercel/cosmosdb-server over HTTPS
// with its bundled self-signed certificate, plus an incremental change feed. It keeps data in
// memory only.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { installChangeFeed } from './cosmos-change-feed.js';

installChangeFeed();
// Loaded only now: the server's routes capture the handlers the change feed replaces.
const { createHttpsServer } = createRequire(import.meta.url)(
  '@vercel/cosmosdb-server',
) as typeof import('@vercel/cosmosdb-server');

const port = Number(process.argv[2] ?? 8081);
const server = createHttpsServer().listen(port, '127.0.0.1', () => {
  console.log(`Cosmos DB emulator listening on port ${(server.address() as AddressInfo).port}`);
});
const close = () => server.close(() => process.exit(0));
process.on('SIGTERM', close);
process.on('SIGINT', close);
