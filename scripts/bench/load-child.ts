/**
 * The ingest load generator for P4, run as its own process: POSTs `feed.created` calls to the sidecar's /events,
 * either as fast as `concurrency` lanes allow (closed loop) or at a fixed rate (open loop: a late answer does not
 * delay the next request). Prints one JSON line: requests, events accepted, errors, seconds, latencies p50/p99.
 */
import { Agent, request } from 'undici';
import { drive } from './pacing.ts';
import { feedCreatedCall } from './seed.ts';
import { percentile } from './stats.ts';

const url = `${process.env.LOAD_URL!}/events`;
const authorization = process.env.LOAD_AUTH!;
const seconds = Number(process.env.LOAD_SECONDS ?? 5);
const rate = Number(process.env.LOAD_RATE ?? 0); // 0 = closed loop
const concurrency = Number(process.env.LOAD_CONCURRENCY ?? 32);
const perRequest = Number(process.env.LOAD_EVENTS_PER_REQUEST ?? 1);
const agent = new Agent({ connections: Math.max(concurrency, 64) });

let requests = 0;
let accepted = 0;
let errors = 0;
let seq = 0;
const latencies: number[] = [];
const headers = { authorization, 'content-type': 'application/json' };

async function post(): Promise<void> {
  const now = Date.now();
  const events = Array.from({ length: perRequest }, () => feedCreatedCall(now, ++seq));
  const started = performance.now();
  try {
    const res = await request(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ events }),
      dispatcher: agent,
    });
    const body = (await res.body.json()) as { accepted?: number };
    if (res.statusCode === 202) accepted += body.accepted ?? 0;
    else errors++;
  } catch {
    errors++;
  }
  requests++;
  latencies.push(performance.now() - started);
}

const elapsed = await drive({ seconds, rate, lanes: concurrency }, post);
console.log(
  JSON.stringify({
    requests,
    accepted,
    errors,
    seconds: elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
  }),
);
await agent.close();
