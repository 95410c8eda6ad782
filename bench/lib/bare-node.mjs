// The floor under any Node server: node:http answering every request with one stored response
// (headers and bytes given in a JSON file), nothing else. bench/hit-ceiling.ts runs it pinned
// beside our server and nginx, to tell what Node itself costs a cached page from what we add.
//   PORT=3000 node bench/lib/bare-node.mjs response.json
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

const { headers, body } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const flat = headers.flat();
const bytes = Buffer.from(body, 'base64');
const server = createServer((request, response) => {
  response.writeHead(200, flat);
  response.end(bytes);
});
// As our server sets it (src/server.ts), so keep-alive behaves the same.
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
