// The baseline: the same greeting on a bare node:http server.
import { createServer } from 'node:http';
import { greeting } from './greeting.js';

const server = createServer((request, response) => {
  const name = decodeURIComponent(request.url.split('/').pop() ?? '');
  const body = JSON.stringify(greeting(name));
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.listen(0, '127.0.0.1', () =>
  console.log(`Host listening on http://127.0.0.1:${server.address().port}`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
