// Plain JavaScript so a worker thread can load it without a TypeScript loader.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * A load generator for the HTTP benchmarks: `clients` loops each POSTing the
 * same JSON body over a kept-alive connection until the time is up; reports
 * how many were accepted (201). node:http rather than fetch, because the
 * client should cost the machine as little as possible.
 */
const { url, body, clients, durationMs } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const payload = Buffer.from(body, 'utf8');

function post() {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length } },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 201 ? resolve() : reject(new Error(`submit failed with ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

let count = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (performance.now() - started < durationMs) {
      await post();
      count += 1;
    }
  }),
);
agent.destroy();
parentPort?.postMessage({ count, elapsedMs: performance.now() - started });
