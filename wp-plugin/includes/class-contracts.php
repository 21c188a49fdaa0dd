<?php
/**
 * Read access to the contracts generated from shared/ (routes, hooks, errors, inbox table).
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * Loads generated/contracts.php once per request and hands out its parts.
 */
final class Contracts {

	/**
	 * The generated contracts, loaded on first use.
	 *
	 * @var array<string, mixed>|null
	 */
	private static ?array $data = null;

	/**
	 * Every contract, as generated.
	 *
	 * @return array<string, mixed>
	 */
	public static function all(): array {
		if ( null === self::$data ) {
			self::$data = require dirname( __DIR__ ) . '/generated/contracts.php';
		}
		return self::$data;
	}

	/**
	 * The product version the contracts were generated for.
	 */
	public static function version(): string {
		return self::all()['version'];
	}

	/**
	 * REST namespaces: 'own' (always served) and 'shared' (the spec's, shared with Fluent Community).
	 *
	 * @return array{own: string, shared: string}
	 */
	public static function namespaces(): array {
		return self::all()['namespaces'];
	}

	/**
	 * The management routes: name, method, wp_path, sidecar_path, params, timeout (seconds), summary, args.
	 *
	 * @return array<int, array<string, mixed>>
	 */
	public static function routes(): array {
		return self::all()['routes'];
	}

	/**
	 * One route by its name, or null when the contracts have no such route.
	 *
	 * @param string $name Route name, e.g. 'listWebhooks'.
	 * @return array<string, mixed>|null
	 */
	public static function route( string $name ): ?array {
		foreach ( self::routes() as $route ) {
			if ( $route['name'] === $name ) {
				return $route;
			}
		}
		return null;
	}

	/**
	 * A sidecar setting: 'wake', 'ingest', 'health', 'ready' paths or 'auth_header', 'acting_user_header'.
	 *
	 * @param string $key Setting name.
	 */
	public static function sidecar( string $key ): string {
		return self::all()['sidecar'][ $key ];
	}

	/**
	 * The sidecar's signed calls to the site: tolerance_seconds, signature_pattern, loop_guard and
	 * webhook_disabled (header, purpose; the notice's method, path and REST args).
	 *
	 * @return array<string, mixed>
	 */
	public static function site_calls(): array {
		return self::all()['site_calls'];
	}

	/**
	 * The actions to listen to: hook, accepted_args, forward (argument indexes), once_per_request, before (the
	 * action passing the model of a deletion and the fields to keep of it, or null).
	 *
	 * @return array<int, array{hook: string, accepted_args: int, forward: int[], once_per_request: bool, before: array{hook: string, keep: string[]}|null}>
	 */
	public static function hooks(): array {
		return self::all()['hooks'];
	}

	/**
	 * One error code's HTTP status and default (English) message.
	 *
	 * @param string $code Error code from shared/errors.ts.
	 * @return array{status: int, message: string}
	 */
	public static function error( string $code ): array {
		return self::all()['errors'][ $code ] ?? self::all()['errors']['internal_error'];
	}

	/**
	 * The shared-secret rule's figures (shared/shared-secret.ts): 'min_bytes', 'min_distinct_bytes', and
	 * 'allowed_pattern', a PCRE pattern matching a secret made only of allowed bytes.
	 *
	 * @return array{min_bytes: int, min_distinct_bytes: int, allowed_pattern: string}
	 */
	public static function shared_secret(): array {
		return self::all()['shared_secret'];
	}

	/**
	 * The inbox table: 'table' (name without the site prefix), 'ddl' (with a {prefix} placeholder) and the bounds of
	 * one row's arguments ('max_args_bytes' of JSON, 'max_elements' array entries at every depth).
	 *
	 * @return array{table: string, ddl: string, max_args_bytes: int, max_elements: int}
	 */
	public static function inbox(): array {
		return self::all()['inbox'];
	}
}
