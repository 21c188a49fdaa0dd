/**
 * The plugin buffers a request's action calls in memory and writes them to the inbox with one multi-row INSERT at
 * shutdown (earlier when the buffer grows or ages), keeping order, hook-time timestamps, the request id and the
 * failure accounting. No sidecar runs here, so nothing drains the inbox while the tests count its rows.
 */
import fs from 'node:fs';
import type { RowDataPacket } from 'mysql2';
import { beforeEach, describe, expect, it } from 'vitest';
import { rest, useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({ label: 'e2e_hookbuf', sidecar: false });

interface InboxRow {
  id: number;
  hook: string;
  args: string;
  request_id: string;
  occurred_at: string;
}

async function inboxRows(): Promise<InboxRow[]> {
  const [rows] = await site().db.pool.query<RowDataPacket[]>(
    "SELECT id, hook, args, request_id, DATE_FORMAT(occurred_at, '%Y-%m-%d %H:%i:%s.%f') AS occurred_at " +
      'FROM wp_fcwh_inbox ORDER BY id',
  );
  return rows as InboxRow[];
}

/**
 * Runs `code` inside WordPress (a PHP CLI process, as WP-CLI or cron would) with helpers: `$fcwh_rows()` counts
 * inbox rows, `$fcwh_inserts()` this session's INSERT statements, `$fcwh_fire( $id )` fires space/deleted(id).
 * Wake-up calls to the sidecar are intercepted and recorded in `$GLOBALS['fcwh_wakes']` (inbox rows at that
 * moment). `$fcwh_end` (an array) is printed as JSON by a shutdown function registered after WordPress's own, so
 * after every shutdown callback of the plugin. Resolves with `{ during, end }`.
 */
async function inWordPress(code: string): Promise<{ during: any; end: any }> {
  const out = await site().wp.php(`
    global $wpdb;
    $fcwh_rows    = function () use ( $wpdb ) { return (int) $wpdb->get_var( 'SELECT COUNT(*) FROM wp_fcwh_inbox' ); };
    $fcwh_inserts = function () use ( $wpdb ) { return (int) $wpdb->get_row( "SHOW SESSION STATUS LIKE 'Com_insert'", ARRAY_N )[1]; };
    $fcwh_fire    = function ( $id ) { do_action( 'fluent_community/space/deleted', $id ); };
    $GLOBALS['fcwh_wakes'] = array();
    add_filter( 'pre_http_request', function ( $pre, $args, $url ) use ( $fcwh_rows ) {
      if ( '/events/wake' === substr( (string) $url, -12 ) ) {
        $GLOBALS['fcwh_wakes'][] = $fcwh_rows();
        return array( 'headers' => array(), 'body' => '', 'response' => array( 'code' => 202, 'message' => '' ), 'cookies' => array() );
      }
      return $pre;
    }, 10, 3 );
    $fcwh_end = array();
    $fcwh_inserts_at_start = $fcwh_inserts();
    register_shutdown_function( function () use ( &$fcwh_end, $fcwh_rows, $fcwh_inserts, &$fcwh_inserts_at_start ) {
      echo "\\nEND " . json_encode( $fcwh_end + array(
        'rows'     => $fcwh_rows(),
        'inserts'  => $fcwh_inserts() - $fcwh_inserts_at_start,
        'wakes'    => $GLOBALS['fcwh_wakes'],
        'stored'   => FluentCommunityWebhooks\\Inbox::stored(),
        'failures' => FluentCommunityWebhooks\\Inbox::failures(),
        'buffered' => FluentCommunityWebhooks\\Inbox::buffered(),
      ) ) . "\\n";
    } );
    $fcwh_during = array();
    ${code}
    echo "\\nDURING " . json_encode( $fcwh_during ) . "\\n";`);
  const line = (tag: string) => {
    const found = out.split('\n').find((l) => l.startsWith(`${tag} `));
    if (!found) throw new Error(`no ${tag} line in:\n${out}`);
    return JSON.parse(found.slice(tag.length + 1));
  };
  return { during: line('DURING'), end: line('END') };
}

beforeEach(async () => {
  await site().db.pool.query('DELETE FROM wp_fcwh_inbox');
});

describe('a request that fires several actions', () => {
  it('writes nothing while the request runs, then every call with one INSERT at shutdown', async () => {
    const res = await rest(site(), 'POST', '/fire', {
      ns: 'fcwh-test/v1',
      body: { fixture: 'space.deleted', times: 5, probe: true, linger_ms: 300 },
    });
    expect(res.status).toBe(200);
    // Before the request ended (after the calls and 300 ms more): no INSERT, no row.
    expect(res.body.probe).toMatchObject({ inserts: 0, rows: 0 });

    // After every shutdown callback: five rows, one statement.
    const [[option]] = await site().db.pool.query<RowDataPacket[]>(
      "SELECT option_value FROM wp_options WHERE option_name = 'fcwh_test_probe'",
    );
    expect(JSON.parse(option!.option_value)).toEqual({ inserts: 1, rows: 5 });

    const rows = await inboxRows();
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r.hook)).toEqual(Array(5).fill('fluent_community/space/deleted'));
    // The space as space/before_delete passed it just before (the emulator fires it as Fluent Community does), kept
    // fields only, follows the id.
    const deleted = { id: 8, parent_id: null, type: 'community', privacy: 'public', status: 'published' };
    expect(rows.map((r) => JSON.parse(r.args))).toEqual(Array(5).fill([8, deleted]));
    // One request id, a uuid; consecutive ids in call order.
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(1);
    expect(rows[0]!.request_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(rows.map((r) => r.id - rows[0]!.id)).toEqual([0, 1, 2, 3, 4]);
    // Timestamps taken at each call (between the first and the last call), not at the write 300 ms later.
    const times = rows.map((r) => r.occurred_at);
    expect([...times].sort()).toEqual(times);
    expect(new Set(times).size).toBe(5);
    for (const t of times) {
      expect(t >= res.body.probe.fired_from).toBe(true);
      expect(t <= res.body.probe.fired_until).toBe(true);
    }
  });

  it('wakes the sidecar once, after the rows are written, and not when nothing was stored', async () => {
    const fired = await inWordPress(`
      foreach ( array( 31, 32, 33 ) as $id ) { $fcwh_fire( $id ); }
      $fcwh_during = array( 'rows' => $fcwh_rows(), 'wakes' => count( $GLOBALS['fcwh_wakes'] ) );`);
    expect(fired.during).toEqual({ rows: 0, wakes: 0 });
    expect(fired.end).toMatchObject({ rows: 3, inserts: 1, wakes: [3], stored: 3, failures: 0, buffered: 0 });
    expect((await inboxRows()).map((r) => JSON.parse(r.args)[0])).toEqual([31, 32, 33]);

    const idle = await inWordPress('');
    expect(idle.end).toMatchObject({ rows: 3, inserts: 0, wakes: [], stored: 0 });
  });

  it("writes a call made while switched to another site (another table prefix) to that site's inbox", async () => {
    const { pool } = site().db;
    await pool.query('CREATE TABLE IF NOT EXISTS wp_other_fcwh_inbox LIKE wp_fcwh_inbox');
    try {
      // What switch_to_blog() does to $wpdb on a network, on this single site.
      const { end } = await inWordPress(`
        $fcwh_fire( 1 );
        $wpdb->set_prefix( 'wp_other_' );
        $fcwh_fire( 2 );
        $wpdb->set_prefix( 'wp_' );
        $fcwh_fire( 3 );`);
      expect(end).toMatchObject({ stored: 3, failures: 0 });
      expect((await inboxRows()).map((r) => JSON.parse(r.args)[0])).toEqual([1, 3]);
      const [other] = await pool.query<RowDataPacket[]>('SELECT args FROM wp_other_fcwh_inbox ORDER BY id');
      expect(other.map((r) => JSON.parse(r.args)[0])).toEqual([2]);
    } finally {
      await pool.query('DROP TABLE IF EXISTS wp_other_fcwh_inbox');
    }
  });

  it('writes at once a call made by a later shutdown callback', async () => {
    const { end } = await inWordPress(`
      $fcwh_fire( 1 );
      add_action( 'shutdown', function () use ( $fcwh_fire ) { $fcwh_fire( 2 ); }, 50 );`);
    expect(end).toMatchObject({ rows: 2, inserts: 2, stored: 2, buffered: 0 });
    expect((await inboxRows()).map((r) => JSON.parse(r.args)[0])).toEqual([1, 2]);
  });
});

describe('long requests (WP-CLI imports, cron)', () => {
  it('writes every 100 calls instead of holding them all, in call order', async () => {
    const { during, end } = await inWordPress(`
      for ( $i = 1; $i <= 250; $i++ ) {
        $fcwh_fire( $i );
        if ( in_array( $i, array( 1, 99, 100, 101, 199, 200, 250 ), true ) ) {
          $fcwh_during[ $i ] = array( $fcwh_rows(), FluentCommunityWebhooks\\Inbox::buffered(), $fcwh_inserts() - $fcwh_inserts_at_start );
        }
      }`);
    expect(during).toEqual({
      1: [0, 1, 0],
      99: [0, 99, 0],
      100: [100, 0, 1],
      101: [100, 1, 1],
      199: [100, 99, 1],
      200: [200, 0, 2],
      250: [200, 50, 2],
    });
    expect(end).toMatchObject({ rows: 250, inserts: 3, wakes: [250], stored: 250, failures: 0 });
    const rows = await inboxRows();
    expect(rows.map((r) => JSON.parse(r.args)[0])).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    const times = rows.map((r) => r.occurred_at);
    expect([...times].sort()).toEqual(times);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(1);
  });

  it('writes once the buffered JSON reaches 1 MB, in statements that stay under 1 MB', async () => {
    // Each call carries 8 strings of 50,000 bytes: ~400 KB of JSON.
    const { during, end } = await inWordPress(`
      for ( $i = 1; $i <= 3; $i++ ) {
        $fcwh_fire( array_fill( 0, 8, str_repeat( chr( 96 + $i ), 50000 ) ) );
        $fcwh_during[ $i ] = array( $fcwh_rows(), $fcwh_inserts() - $fcwh_inserts_at_start );
      }`);
    // The third call brings the buffer over 1 MB: two statements (two rows, then one).
    expect(during).toEqual({ 1: [0, 0], 2: [0, 0], 3: [3, 2] });
    expect(end).toMatchObject({ rows: 3, inserts: 2, stored: 3, failures: 0 });
    const rows = await inboxRows();
    expect(rows.map((r) => JSON.parse(r.args)[0][0][0])).toEqual(['a', 'b', 'c']);
    expect(rows.map((r) => r.args.length)).toEqual(Array(3).fill(rows[0]!.args.length));
  });

  it('writes a call that comes more than a second after the oldest buffered one', async () => {
    const { during } = await inWordPress(`
      $fcwh_fire( 1 );
      usleep( 1100000 );
      $fcwh_during[] = $fcwh_rows();
      $fcwh_fire( 2 );
      $fcwh_during[] = $fcwh_rows();`);
    expect(during).toEqual([0, 2]);
  });
});

describe('a failed write', () => {
  it('counts every lost call, logs once, never throws into the site, and does not wake the sidecar', async () => {
    const { pool } = site().db;
    const logBefore = fs.existsSync(site().wp.debugLog) ? fs.readFileSync(site().wp.debugLog, 'utf8') : '';
    await pool.query('RENAME TABLE wp_fcwh_inbox TO wp_fcwh_inbox_away');
    try {
      const { during, end } = await inWordPress(`
        foreach ( array( 1, 2, 3 ) as $id ) { $fcwh_fire( $id ); }
        $fcwh_during = 'the request went on';`);
      expect(during).toBe('the request went on');
      // One multi-row INSERT, then the first row alone fails the same way: the table is the problem, no more tries.
      expect(end).toMatchObject({ stored: 0, failures: 3, buffered: 0, wakes: [], inserts: 2 });
    } finally {
      await pool.query('RENAME TABLE wp_fcwh_inbox_away TO wp_fcwh_inbox');
    }
    const logged = fs.readFileSync(site().wp.debugLog, 'utf8').slice(logBefore.length);
    const lines = logged.split('\n').filter((l) => l.includes('Fluent Community Webhooks: could not store'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /could not store a fluent_community\/space\/deleted call in wp_fcwh_inbox: Table '.*wp_fcwh_inbox' doesn't exist/,
    );
  });

  it('tries each row alone when a statement is refused, so that one bad row loses only itself', async () => {
    // A 'query' filter that breaks any inbox INSERT carrying the poisoned argument stands for a row the server
    // refuses (say, one larger than max_allowed_packet).
    const { end } = await inWordPress(`
      add_filter( 'query', function ( $q ) {
        return false !== strpos( $q, 'INSERT INTO \`wp_fcwh_inbox\`' ) && false !== strpos( $q, 'poison' ) ? $q . ' nonsense' : $q;
      } );
      foreach ( array( 1, 'poison', 3 ) as $id ) { $fcwh_fire( $id ); }`);
    expect(end).toMatchObject({ stored: 2, failures: 1, wakes: [2] });
    expect((await inboxRows()).map((r) => JSON.parse(r.args)[0])).toEqual([1, 3]);
  });
});
