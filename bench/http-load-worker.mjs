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
/** Optional: stop after this many requests in all (a warm-up of a given size) rather than at the time. */
const maxRequests = workerData.maxRequests ?? Number.POSITIVE_INFINITY;
/**
 * Optional: each client sends from its own loopback address (127.0.0.0/8 is all this machine's), as each
 * person behind a proxy has their own; without it every client is 127.0.0.1.
 */
const localAddresses = workerData.localAddresses ?? [];
const agents = Array.from(
  { length: localAddresses.length > 0 ? clients : 1 },
  (_, index) =>
    new Agent({
      keepAlive: true,
      maxSockets: localAddresses.length > 0 ? 1 : clients,
      ...(localAddresses.length > 0 ? { localAddress: localAddresses[index % localAddresses.length] } : {}),
    }),
);
const payload = Buffer.from(body, 'utf8');

function post(agent) {
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
let begun = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: clients }, async (_, index) => {
    while (performance.now() - started < durationMs && begun < maxRequests) {
      begun += 1;
      await post(agents[index % agents.length]);
      count += 1;
    }
  }),
);
for (const agent of agents) agent.destroy();
parentPort?.postMessage({ count, elapsedMs: performance.now() - started });
