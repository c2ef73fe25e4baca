// Entry point of the Cosmos DB emulator child process: @vercel/cosmosdb-server over HTTPS
// with its bundled self-signed certificate. It keeps data in memory only.
import { createHttpsServer } from '@vercel/cosmosdb-server';
import type { AddressInfo } from 'node:net';

const port = Number(process.argv[2] ?? 8081);
const server = createHttpsServer().listen(port, '127.0.0.1', () => {
  console.log(`Cosmos DB emulator listening on port ${(server.address() as AddressInfo).port}`);
});
const close = () => server.close(() => process.exit(0));
process.on('SIGTERM', close);
process.on('SIGINT', close);
