// A real webhook receiver for tests: a node:http server that records every request, verifies
// its signature the way the operations guide tells receivers to, and deduplicates by event id.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../src/newsroom/webhooks/signing.ts';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed body. */
  json: { id: string; type: string; createdAt: string; data: { article: Record<string, unknown>; note?: string } };
  path: string;
}

/** What to answer: a status (with optional headers), or 'hang' to never answer. */
export type Answer = number | 'hang' | { status: number; headers?: Record<string, string> };

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Event ids this receiver acted on: once each, however often they arrived. */
  processed: string[];
  /** Requests whose signature did not verify with `secret`. */
  rejected: number;
  secret: string;
  answer: (request: Received, index: number) => Answer;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(options: { port?: number; secret?: string; answer?: Receiver['answer']; now?: () => Date } = {}): Promise<Receiver> {
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = {
    url: '',
    port: 0,
    received: [],
    processed: [],
    rejected: 0,
    secret: options.secret ?? '',
    answer: options.answer ?? (() => 200),
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`receiver: timed out after ${timeoutMs} ms with ${receiver.received.length} requests`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const received: Received = { headers: request.headers, body, json: JSON.parse(body) as Received['json'], path: request.url ?? '' };
      const index = receiver.received.push(received) - 1;
      const answer = receiver.answer(received, index);
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : { status: answer.status, headers: answer.headers ?? {} };
      const valid = verifySignature({
        secret: receiver.secret,
        body,
        timestamp: request.headers['x-dateline-timestamp'] as string | undefined,
        signature: request.headers['x-dateline-signature'] as string | undefined,
        now: options.now?.(),
      });
      if (!valid) {
        receiver.rejected++;
        response.writeHead(400).end('bad signature');
        return;
      }
      if (status >= 200 && status < 300 && !receiver.processed.includes(received.json.id)) receiver.processed.push(received.json.id);
      response.writeHead(status, headers).end(status >= 400 ? 'receiver says no' : 'ok');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
  return receiver;
}
