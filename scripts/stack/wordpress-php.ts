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

/** Activates plugins in order, with WordPress fully loaded (not installing) so their hooks run as on a real site. */
const activateScript = `${bootstrap(false)}
require_once ABSPATH . 'wp-admin/includes/plugin.php';
foreach ( $fcwh_input['plugins'] as $file ) {
	$r = activate_plugin( $file );
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

/** Activates plugin files (`slug/main.php`) in order; resolves with the active plugin list. */
export async function activatePlugins(
  siteDir: string,
  url: string,
  plugins: readonly string[],
): Promise<string[]> {
  if (plugins.length === 0) return [];
  return lastJson(await runScript(siteDir, url, activateScript, { plugins })) as string[];
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
