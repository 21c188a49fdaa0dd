/**
 * The plugin's side of P4, run as its own process: does what each PHP request that fired one action does — one
 * autocommit INSERT into the inbox (durable), then the shutdown wake-up (POST /events/wake) — either as fast as
 * `concurrency` lanes allow or at a fixed rate. Prints one JSON line: rows, errors, seconds.
 */
import mysql from 'mysql2/promise';
import { Agent, request } from 'undici';
import { feedCreatedCall } from './seed.ts';

const env = process.env;
const seconds = Number(env.INBOX_SECONDS ?? 5);
const rate = Number(env.INBOX_RATE ?? 0); // 0 = closed loop
const concurrency = Number(env.INBOX_CONCURRENCY ?? 16);
const pool = mysql.createPool({
  host: env.INBOX_DB_HOST,
  port: Number(env.INBOX_DB_PORT),
  user: env.INBOX_DB_USER,
  password: env.INBOX_DB_PASSWORD,
  database: env.INBOX_DB_NAME,
  connectionLimit: Math.max(concurrency, 16),
});
const agent = new Agent({ connections: 16 });
const call = feedCreatedCall();
const args = JSON.stringify(call.args);
let rows = 0;
let errors = 0;
let seq = 0;

async function phpRequest(): Promise<void> {
  try {
    await pool.query(
      'INSERT INTO wp_fcwh_inbox (hook, args, actor_id, request_id, occurred_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6))',
      [call.hook, args, call.actor_id, `bench-${process.pid}-${++seq}`],
    );
    rows++;
    const res = await request(`${env.INBOX_SIDECAR_URL}/events/wake`, {
      method: 'POST',
      headers: { authorization: env.INBOX_AUTH!, 'content-type': 'application/json' },
      body: '{}',
      dispatcher: agent,
    });
    await res.body.dump();
  } catch {
    errors++;
  }
}

const started = performance.now();
const end = started + seconds * 1000;
if (rate > 0) {
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; ; i++) {
    const due = started + (i * 1000) / rate;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const p = phpRequest().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
} else {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await phpRequest();
    }),
  );
}
console.log(JSON.stringify({ rows, errors, seconds: (performance.now() - started) / 1000 }));
await pool.end();
await agent.close();
