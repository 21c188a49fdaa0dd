/** WordPress side of operations: the Site Health test, the admin notice, and the plugin's shared-secret rule. */
import { describe, expect, it } from 'vitest';
import { secretProblem, sharedSecretRule } from '../../shared/shared-secret.ts';
import { rest, ownNamespace } from '../helpers/rest.ts';
import { useTestSite, type TestSite } from '../helpers/site.ts';
import { secretVectors } from './secret-vectors.ts';

const site = useTestSite({ label: 'ops_health', testPlugins: false });
const weakSite = useTestSite({
  label: 'ops_weak',
  testPlugins: false,
  sidecar: false,
  wordpress: { constants: { FCWH_SIDECAR_SECRET: '0123456789'.repeat(4) } },
});

interface HealthResult {
  label: string;
  status: string;
  badge: { label: string; color: string };
  description: string;
  actions: string;
  test: string;
  ms: number;
}

/** Runs the test as Site Health does: looked up in WP_Site_Health::get_tests(), then called. */
async function siteHealth(s: TestSite, before = ''): Promise<HealthResult> {
  const out = await s.wp.php(`
require_once ABSPATH . 'wp-admin/includes/class-wp-site-health.php';
${before}
$tests = WP_Site_Health::get_tests();
$started = microtime( true );
$result = call_user_func( $tests['direct']['fluent_community_webhooks_sidecar']['test'] );
$result['ms'] = ( microtime( true ) - $started ) * 1000;
echo wp_json_encode( $result );`);
  return JSON.parse(out) as HealthResult;
}

/** What the admin_notices action prints for `user` (a login), with the transient as it is unless `fresh`. */
async function notices(s: TestSite, user: string, fresh = false): Promise<string> {
  return s.wp.php(`
${fresh ? "delete_transient( 'fcwh_sidecar_health' );" : ''}
wp_set_current_user( get_user_by( 'login', ${JSON.stringify(user)} )->ID );
do_action( 'admin_notices' );`);
}

/** Makes WordPress's HTTP API answer the sidecar's /readyz with `status` and `body`, for one snippet. */
const fakeReadyz = (status: number, body: unknown) => `
add_filter( 'pre_http_request', function ( $pre, $args, $url ) {
	if ( false === strpos( $url, '/readyz' ) ) {
		return $pre;
	}
	return array(
		'headers'  => array(),
		'body'     => ${JSON.stringify(JSON.stringify(body))},
		'response' => array( 'code' => ${status}, 'message' => '' ),
		'cookies'  => array(),
		'filename' => null,
	);
}, 10, 3 );`;

describe('Site Health', () => {
  it("reports 'good' while the sidecar is running and ready", async () => {
    const result = await siteHealth(site());
    expect(result).toMatchObject({
      label: 'The webhooks service is running and ready',
      status: 'good',
      badge: { label: 'Webhooks', color: 'blue' },
      actions: '',
      test: 'fluent_community_webhooks_sidecar',
    });
    expect(result.description).toContain(`The service at ${site().sidecar.url} answers`);
  });

  it("reports 'critical' with a clear label when the sidecar is stopped, and 'good' again once it runs", async () => {
    const { sidecar } = site();
    await sidecar.stop();
    try {
      const result = await siteHealth(site());
      expect(result).toMatchObject({
        label: 'The webhooks service is not running or not reachable',
        status: 'critical',
        badge: { color: 'red' },
      });
      expect(result.description).toContain(`The webhooks service at ${sidecar.url} does not answer (`);
      expect(result.actions).toContain('systemctl start fluent-community-webhooks');
      expect(result.ms).toBeLessThan(2500);
    } finally {
      await sidecar.restart();
    }
    expect((await siteHealth(site())).status).toBe('good');
  });

  it("reports 'critical' when the sidecar runs but is not ready, naming the failing checks", async () => {
    const body = {
      code: 'not_ready',
      message: 'The webhooks service is not ready.',
      data: { status: 503, checks: { database: false, migrations: false, worker: true } },
    };
    const result = await siteHealth(site(), fakeReadyz(503, body));
    expect(result).toMatchObject({
      label: 'The webhooks service is running but not ready',
      status: 'critical',
    });
    expect(result.description).toContain('runs but is not ready (database, migrations)');
    const refused = await siteHealth(site(), fakeReadyz(401, { code: 'unauthorized' }));
    expect(refused.description).toContain('refused the shared secret: FCWH_SIDECAR_SECRET in wp-config.php');
  });

  it("reports 'recommended' while inbox rows wait in the quarantine, with the route to list them", async () => {
    await site().db.pool.query(
      `INSERT INTO wp_fcwh_quarantine (inbox_id, hook, args, actor_id, request_id, occurred_at, error, quarantined_at)
       VALUES (41, 'fluent_community/feed/deleted', 'not json', 0, 'health', UTC_TIMESTAMP(6), 'arguments are not JSON', UTC_TIMESTAMP(3)),
              (42, 'fluent_community/feed/deleted', '[666]', 0, 'health', UTC_TIMESTAMP(6), 'poison', UTC_TIMESTAMP(3))`,
    );
    try {
      const result = await siteHealth(site());
      expect(result).toMatchObject({
        label: 'The webhooks service has set some action calls aside',
        status: 'recommended',
        badge: { label: 'Webhooks', color: 'orange' },
        test: 'fluent_community_webhooks_sidecar',
      });
      expect(result.description).toContain('2 action calls could not be turned into webhook events');
      expect(result.actions).toContain('/fluent-community-webhooks/v1/admin/inbox/quarantine');
    } finally {
      await site().db.pool.query("DELETE FROM wp_fcwh_quarantine WHERE request_id = 'health'");
    }
    expect((await siteHealth(site())).status).toBe('good');
  });

  it("reports 'critical' when the shared secret is weak, naming the constant", async () => {
    const result = await siteHealth(weakSite());
    expect(result).toMatchObject({ label: 'The webhooks service is not configured', status: 'critical' });
    expect(result.description).toContain(
      'FCWH_SIDECAR_SECRET in wp-config.php is one 10-character chunk repeated',
    );
  });
});

describe('the admin notice', () => {
  it('shows administrators that webhooks are not delivered while the sidecar is down, and no one else', async () => {
    const { sidecar } = site();
    await sidecar.stop();
    try {
      const shown = await notices(site(), 'admin', true);
      expect(shown).toContain('notice notice-error fcwh-sidecar-notice');
      expect(shown).toContain('Fluent Community Webhooks: webhooks are not being delivered.');
      expect(shown).toContain(`The webhooks service at ${sidecar.url} does not answer`);
      expect(shown).toContain('site-health.php');
      expect(await notices(site(), 'editor')).toBe('');
      expect(await notices(site(), 'member')).toBe('');
    } finally {
      await sidecar.restart();
    }
  });

  it('reuses its check for a minute, so admin pages do not probe the sidecar on every load', async () => {
    // The answer cached while the sidecar was down is still shown right after it came back...
    expect(await notices(site(), 'admin')).toContain('webhooks are not being delivered');
    const ttl = Number(
      await site().wp.php("echo (int) get_option( '_transient_timeout_fcwh_sidecar_health' ) - time();"),
    );
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    // ...and a fresh check finds it ready, and is cached in turn.
    expect(await notices(site(), 'admin', true)).toBe('');
    const cached = JSON.parse(
      await site().wp.php("echo wp_json_encode( get_transient( 'fcwh_sidecar_health' ) );"),
    );
    expect(cached).toEqual({ state: 'ready', message: '', url: site().sidecar.url, quarantined: 0 });
  });
});

describe("the plugin's shared-secret rule", () => {
  it('judges every sample secret as the sidecar does', async () => {
    const out = await site().wp.php(
      `echo wp_json_encode( array_map( function ( $s ) { return null === FluentCommunityWebhooks\\SidecarEndpoint::secret_problem( $s ); }, $fcwh_input ) );`,
      secretVectors.map(([secret]) => secret),
    );
    expect(JSON.parse(out)).toEqual(secretVectors.map(([secret]) => secretProblem(secret) === undefined));
    expect(JSON.parse(out)).toEqual(secretVectors.map(([, acceptable]) => acceptable));
  });

  it('takes its figures from the generated contracts, and its constant agrees with them', async () => {
    const out = await site().wp.php(
      `echo wp_json_encode( array( FluentCommunityWebhooks\\Contracts::shared_secret(), FluentCommunityWebhooks\\SidecarEndpoint::MIN_SECRET_LENGTH ) );`,
    );
    expect(JSON.parse(out)).toEqual([sharedSecretRule, sharedSecretRule.min_bytes]);
  });

  it('answers 503 sidecar_unavailable naming FCWH_SIDECAR_SECRET when the secret is weak', async () => {
    const res = await rest(weakSite(), 'GET', '/admin/webhooks', { ns: ownNamespace });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      code: 'sidecar_unavailable',
      message:
        "The webhooks service is not configured: FCWH_SIDECAR_SECRET in wp-config.php is one 10-character chunk repeated. It must equal the service's FCWH_SECRET; generate one with `openssl rand -base64 48`.",
      data: { status: 503 },
    });
  });
});
