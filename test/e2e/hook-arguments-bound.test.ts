/**
 * The plugin bounds a whole action call, not only each string and the nesting depth: a call whose arguments are
 * more JSON bytes or more array entries than the inbox allows (shared/limits.ts) is not written, and is counted and
 * logged as a failure, while a call within the bounds is written as before.
 */
import type { RowDataPacket } from 'mysql2';
import { beforeEach, describe, expect, it } from 'vitest';
import { inboxLimits } from '../../shared/limits.ts';
import { useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({ label: 'e2e_hookbound', sidecar: false });

/** Fires feed/created with `$feed` (PHP code of an array), then prints the rows written and the failures. */
async function fireFeed(feed: string): Promise<{ rows: { args: string }[]; failures: number }> {
  const out = await site().wp.php(`
    register_shutdown_function( function () {
      echo "\\nEND " . json_encode( array( 'failures' => FluentCommunityWebhooks\\Inbox::failures() ) ) . "\\n";
    } );
    do_action( 'fluent_community/feed/created', ${feed} );`);
  const end = out.split('\n').find((l) => l.startsWith('END '));
  if (!end) throw new Error(`no END line in:\n${out}`);
  const [rows] = await site().db.pool.query<RowDataPacket[]>('SELECT args FROM wp_fcwh_inbox ORDER BY id');
  return { rows: rows as { args: string }[], failures: JSON.parse(end.slice(4)).failures };
}

beforeEach(async () => {
  await site().db.pool.query('DELETE FROM wp_fcwh_inbox');
});

describe("the bounds of a call's arguments", () => {
  it('writes a call within the bounds', async () => {
    const result = await fireFeed(`array( 'id' => 7, 'message' => str_repeat( 'a', 60000 ) )`);
    expect(result.failures).toBe(0);
    expect(result.rows).toHaveLength(1);
  });

  it('refuses a call whose short strings add up to more JSON bytes than allowed', async () => {
    // Each string is far below the per-string cut and one level deep, together more than maxArgsBytes.
    const strings = Math.ceil(inboxLimits.maxArgsBytes / 60000) + 1;
    const result = await fireFeed(
      `array( 'id' => 7, 'parts' => array_fill( 0, ${strings}, str_repeat( 'b', 60000 ) ) )`,
    );
    expect(result.failures).toBe(1);
    expect(result.rows).toHaveLength(0);
  });

  it('refuses a call with more array entries than allowed, however small', async () => {
    const result = await fireFeed(`array( 'id' => 7, 'tags' => range( 1, ${inboxLimits.maxElements + 1} ) )`);
    expect(result.failures).toBe(1);
    expect(result.rows).toHaveLength(0);
  });
});
