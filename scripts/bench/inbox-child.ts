/**
 * The plugin's side of P4, run as its own process: does what each PHP request that fired one action does — one
 * autocommit INSERT into the inbox (durable), then the shutdown wake-up (POST /events/wake) — either as fast as
 * `concurrency` lanes allow or at a fixed rate. Prints one JSON line: rows, errors, seconds.
 */
import mysql from 'mysql2/promise';
import { Agent, request } from 'undici';
import { drive } from './pacing.ts';
import { feedCreatedCall } from './seed.ts';

const env = process.env;
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
    if (res.statusCode !== 204) errors++;
  } catch {
    errors++;
  }
}

const seconds = await drive(
  { seconds: Number(env.INBOX_SECONDS ?? 5), rate: Number(env.INBOX_RATE ?? 0), lanes: concurrency },
  phpRequest,
);
console.log(JSON.stringify({ rows, errors, seconds }));
await pool.end();
await agent.close();
