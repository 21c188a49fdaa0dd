/** PHP CLI scripts run inside a WordPress site: install, set up users and plugins, run a test's snippet. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Loads WordPress the way a request to `url` would; `$fcwh_input` holds the JSON input. */
const bootstrap = (installing: boolean) => `<?php
$fcwh_input = json_decode( (string) getenv( 'FCWH_STACK_INPUT' ), true ) ?: array();
${installing ? "define( 'WP_INSTALLING', true );" : ''}
$fcwh_url = parse_url( (string) getenv( 'FCWH_STACK_URL' ) );
$_SERVER['HTTP_HOST'] = $fcwh_url['host'] . ( isset( $fcwh_url['port'] ) ? ':' . $fcwh_url['port'] : '' );
$_SERVER['SERVER_NAME'] = $fcwh_url['host'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
require __DIR__ . '/wp-load.php';
`;

/** Installs the blog unless installed, ensures the users, issues application passwords when asked. */
const installScript = `${bootstrap(true)}
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$out = array( 'users' => array() );
if ( ! is_blog_installed() ) {
	$r = wp_install( $fcwh_input['title'], 'admin', 'admin@example.test', false, '', wp_generate_password( 24 ) );
}
update_option( 'permalink_structure', '/%postname%/' );
flush_rewrite_rules( false );
foreach ( $fcwh_input['users'] as $login => $role ) {
	$user = get_user_by( 'login', $login );
	$id = $user ? $user->ID : wp_insert_user( array(
		'user_login' => $login,
		'user_email' => $login . '@example.test',
		'user_pass'  => wp_generate_password( 24 ),
		'role'       => $role,
	) );
	if ( is_wp_error( $id ) ) {
		fwrite( STDERR, "user $login: " . $id->get_error_message() . "\\n" );
		exit( 1 );
	}
	( new WP_User( $id ) )->set_role( $role );
	$out['users'][ $login ] = array( 'user' => $login, 'id' => (int) $id );
	if ( $fcwh_input['app_passwords'] ) {
		$created = WP_Application_Passwords::create_new_application_password( $id, array( 'name' => 'fcwh-stack' ) );
		if ( is_wp_error( $created ) ) {
			fwrite( STDERR, "app password $login: " . $created->get_error_message() . "\\n" );
			exit( 1 );
		}
		$out['users'][ $login ]['app_password'] = $created[0];
	}
}
echo json_encode( $out );
`;

/**
 * Turns the installed single site into a subdirectory network (what wp-admin/network.php does: the network
 * tables, the network row, site 1 as its main site), then adds subsites and users with application passwords:
 * `sites` is path → title, `users` is login → [site path or '' for the main site, role, super admin?].
 */
const networkScript = `<?php
$fcwh_input = json_decode( (string) getenv( 'FCWH_STACK_INPUT' ), true ) ?: array();
define( 'WP_INSTALLING_NETWORK', true );
$fcwh_url = parse_url( (string) getenv( 'FCWH_STACK_URL' ) );
$_SERVER['HTTP_HOST'] = $fcwh_url['host'] . ( isset( $fcwh_url['port'] ) ? ':' . $fcwh_url['port'] : '' );
$_SERVER['SERVER_NAME'] = $fcwh_url['host'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/network.php';
$out = array( 'sites' => array(), 'users' => array() );
if ( is_multisite() ) {
	$done = true;
} else {
	foreach ( $wpdb->tables( 'ms_global' ) as $table => $prefixed ) {
		$wpdb->$table = $prefixed;
	}
	install_network();
	$r = populate_network( 1, $_SERVER['HTTP_HOST'], 'admin@example.test', 'FCWH Network', '/', false );
	if ( is_wp_error( $r ) ) {
		fwrite( STDERR, 'network: ' . $r->get_error_message() . "\n" );
		exit( 1 );
	}
}
echo json_encode( $out );
`;

/** With the network constants in wp-config.php: the subsites and their users (idempotent). */
const networkSitesScript = `${bootstrap(false)}
require_once ABSPATH . 'wp-admin/includes/ms.php';
$out = array( 'sites' => array(), 'users' => array() );
$domain = $_SERVER['HTTP_HOST'];
$out['sites'][''] = array( 'id' => get_main_site_id(), 'path' => '/' );
foreach ( $fcwh_input['sites'] as $slug => $title ) {
	$path = '/' . $slug . '/';
	$id = get_blog_id_from_url( $domain, $path );
	if ( ! $id ) {
		$id = wpmu_create_blog( $domain, $path, $title, 1 );
		if ( is_wp_error( $id ) ) {
			fwrite( STDERR, "site $slug: " . $id->get_error_message() . "\n" );
			exit( 1 );
		}
		// WordPress stores the domain through sanitize_user(), which drops the colon of the port this network
		// runs on (production networks are on 80/443); put it back where requests are matched and URLs built.
		$wpdb->update( $wpdb->blogs, array( 'domain' => $domain ), array( 'blog_id' => $id ) );
		clean_blog_cache( $id );
	}
	// Pretty permalinks as on the main site; the rules are rebuilt in the site's own context on its next request.
	switch_to_blog( (int) $id );
	update_option( 'home', 'http://' . $domain . $path );
	update_option( 'siteurl', 'http://' . $domain . $path );
	update_option( 'permalink_structure', '/%postname%/' );
	delete_option( 'rewrite_rules' );
	restore_current_blog();
	$out['sites'][ $slug ] = array( 'id' => (int) $id, 'path' => $path );
}
foreach ( $fcwh_input['users'] as $login => $spec ) {
	list( $site, $role, $super ) = $spec;
	$user = get_user_by( 'login', $login );
	$id = $user ? $user->ID : wpmu_create_user( $login, wp_generate_password( 24 ), $login . '@example.test' );
	if ( ! $id ) {
		fwrite( STDERR, "user $login could not be created\n" );
		exit( 1 );
	}
	$blog = $out['sites'][ $site ]['id'];
	add_user_to_blog( $blog, $id, $role );
	if ( $super ) {
		grant_super_admin( $id );
	} else {
		revoke_super_admin( $id );
	}
	$created = WP_Application_Passwords::create_new_application_password( $id, array( 'name' => 'fcwh-stack' ) );
	if ( is_wp_error( $created ) ) {
		fwrite( STDERR, "app password $login: " . $created->get_error_message() . "\n" );
		exit( 1 );
	}
	$out['users'][ $login ] = array( 'user' => $login, 'id' => (int) $id, 'app_password' => $created[0] );
}
echo json_encode( $out );
`;

/** Activates plugins in order, with WordPress fully loaded (not installing) so their hooks run as on a real site. */
const activateScript = `${bootstrap(false)}
require_once ABSPATH . 'wp-admin/includes/plugin.php';
foreach ( $fcwh_input['plugins'] as $file ) {
	$r = activate_plugin( $file, '', ! empty( $fcwh_input['network'] ) );
	if ( is_wp_error( $r ) ) {
		fwrite( STDERR, "activate $file: " . $r->get_error_message() . "\\n" );
		exit( 1 );
	}
}
echo json_encode( get_option( 'active_plugins' ) );
`;

/** Runs PHP `code` (no `<?php`) after loading WordPress; `$fcwh_input` is `input`. Resolves with stdout. */
export function runInWordPress(
  siteDir: string,
  url: string,
  code: string,
  input: unknown = {},
): Promise<string> {
  return runScript(siteDir, url, `${bootstrap(false)}\n${code}\n`, input);
}

export interface InstalledUser {
  user: string;
  id: number;
  app_password?: string;
}

/** Installs WordPress (idempotent), ensures `users` (login → role), issues app passwords when `appPasswords`. */
export async function installSite(
  siteDir: string,
  url: string,
  input: { title: string; users: Record<string, string>; app_passwords: boolean },
): Promise<Record<string, InstalledUser>> {
  const out = lastJson(await runScript(siteDir, url, installScript, input)) as {
    users: Record<string, InstalledUser>;
  };
  return out.users;
}

/** Activates plugin files (`slug/main.php`) in order (network-wide when `network`); resolves with the list. */
export async function activatePlugins(
  siteDir: string,
  url: string,
  plugins: readonly string[],
  network = false,
): Promise<string[]> {
  if (plugins.length === 0) return [];
  return lastJson(await runScript(siteDir, url, activateScript, { plugins, network })) as string[];
}

/** Creates the network tables and row of a subdirectory network whose main site is the installed site. */
export async function installNetwork(siteDir: string, url: string): Promise<void> {
  lastJson(await runScript(siteDir, url, networkScript, {}));
}

export interface NetworkInput {
  /** Subsite slug (its path) → title. */
  sites: Record<string, string>;
  /** Login → [subsite slug, '' for the main site; role there; super admin?]. */
  users: Record<string, [string, string, boolean]>;
}

/** Once the network constants are in wp-config.php: creates subsites and users (idempotent). */
export async function populateNetwork(
  siteDir: string,
  url: string,
  input: NetworkInput,
): Promise<{ sites: Record<string, { id: number; path: string }>; users: Record<string, InstalledUser> }> {
  return lastJson(await runScript(siteDir, url, networkSitesScript, input)) as {
    sites: Record<string, { id: number; path: string }>;
    users: Record<string, InstalledUser>;
  };
}

/** The JSON our scripts echo last (a plugin may print notices before it). */
function lastJson(stdout: string): unknown {
  const start = stdout.search(/[[{][^\n]*$/);
  return JSON.parse(start >= 0 ? stdout.slice(start) : stdout);
}

function runScript(siteDir: string, url: string, source: string, input: unknown): Promise<string> {
  // The script lives in the site root so that __DIR__ . '/wp-load.php' resolves; removed afterwards.
  const file = path.join(siteDir, `.fcwh-cli-${process.pid}-${randomBytes(4).toString('hex')}.php`);
  fs.writeFileSync(file, source);
  return new Promise<string>((resolve, reject) => {
    execFile(
      'php',
      [file],
      {
        cwd: siteDir,
        env: { ...process.env, FCWH_STACK_INPUT: JSON.stringify(input), FCWH_STACK_URL: url },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        fs.rmSync(file, { force: true });
        if (error)
          reject(
            new Error(`php in ${siteDir} failed (${error.message.split('\n')[0]}):\n${stderr}${stdout}`),
          );
        else resolve(stdout);
      },
    );
  });
}
