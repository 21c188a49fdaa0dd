<?php
/**
 * Records Fluent Community and WordPress actions in the inbox, fast, with no business logic.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use Throwable;

defined( 'ABSPATH' ) || exit;

/**
 * One callback for every action of the contracts; the sidecar decides which event(s) a call means.
 */
final class HookListener {

	/**
	 * Hook specs keyed by action name.
	 *
	 * @var array<string, array<string, mixed>>|null
	 */
	private static ?array $specs = null;

	/**
	 * Keys of once-per-request calls already recorded, 'hook|id' => true.
	 *
	 * @var array<string, bool>
	 */
	private static array $seen = array();

	/**
	 * Models passed by 'before' actions, the kept fields only, waiting for the call they describe:
	 * 'hook|id' => fields.
	 *
	 * @var array<string, array<string, mixed>>
	 */
	private static array $remembered = array();

	/**
	 * Spec of the action each 'before' action serves, keyed by the before action's name, built once.
	 *
	 * @var array<string, array<string, mixed>>|null
	 */
	private static ?array $before_specs = null;

	/**
	 * Id shared by every row of this PHP request, made on first use.
	 *
	 * @var string
	 */
	private static string $request_id = '';

	/**
	 * Whether this request is a webhook delivery of this plugin arriving back at the site, decided once.
	 *
	 * @var bool|null
	 */
	private static ?bool $echo = null;

	/**
	 * Records one call of any listened action (the action is current_filter()).
	 *
	 * @param mixed ...$args The action's arguments, at most its accepted_args.
	 */
	public static function record( ...$args ): void {
		$hook = (string) current_filter();
		try {
			$spec = self::specs()[ $hook ] ?? null;
			// A site the plugin does not serve has no inbox: nothing would ever read it (see Network).
			if ( null === $spec || ( is_multisite() && ! Network::serves_current_site() ) || self::is_echo() || ( $spec['once_per_request'] && self::seen_before( $hook, $args[0] ?? null ) ) ) {
				return;
			}

			$kept = array();
			foreach ( $spec['forward'] as $index ) {
				if ( array_key_exists( $index, $args ) ) {
					$kept[] = HookArguments::normalise( $args[ $index ] );
				}
			}

			$remembered = self::take_remembered( $spec, $args[0] ?? null );
			if ( null !== $remembered ) {
				$kept[] = $remembered;
			}

			$json = wp_json_encode( $kept, Inbox::json_flags() );
			if ( false === $json ) {
				Inbox::failed( $hook, 'the arguments could not be encoded as JSON' );
				return;
			}
			$oversize = HookArguments::oversize( $kept, $json );
			if ( null !== $oversize ) {
				Inbox::failed( $hook, $oversize );
				return;
			}
			Inbox::add( $hook, $json, get_current_user_id(), self::request_id(), self::now() );
		} catch ( Throwable $error ) {
			Inbox::failed( $hook, get_class( $error ) . ': ' . $error->getMessage() );
		}
	}

	/**
	 * Keeps, from the model a 'before' action passes (a post or space about to be deleted), the fields its spec
	 * names, for the call that follows with only the model's id. Records nothing by itself.
	 *
	 * @param mixed $model The model about to be deleted.
	 */
	public static function remember( $model ): void {
		try {
			$spec = self::before_specs()[ (string) current_filter() ] ?? null;
			$data = null === $spec ? null : HookArguments::normalise( $model );
			if ( ! is_array( $data ) || ! isset( $data['id'] ) || ! is_scalar( $data['id'] ) ) {
				return;
			}
			$fields = array_intersect_key( $data, array_flip( $spec['before']['keep'] ) );
			self::$remembered[ $spec['hook'] . '|' . (string) $data['id'] ] = $fields;
		} catch ( Throwable $error ) {
			Inbox::failed( (string) current_filter(), get_class( $error ) . ': ' . $error->getMessage() );
		}
	}

	/**
	 * At shutdown: writes the calls of this request (one INSERT), then wakes the sidecar once if anything was
	 * stored. It runs in the request: nothing here calls fastcgi_finish_request(), which would change what
	 * other plugins' shutdown callbacks can still send to the visitor.
	 */
	public static function shutdown(): void {
		Inbox::finish();
		if ( Inbox::stored() > 0 ) {
			SidecarClient::wake();
		}
	}

	/**
	 * A webhook pointed at this same site would otherwise loop: its delivery makes the site act, the action makes
	 * a new event, the event a new delivery. Actions run while serving one of our own deliveries are not recorded,
	 * unless the filter allows it. Only the sidecar can prove that: it adds the loop-guard header (contracts'
	 * site_calls) to deliveries to this site's host alone, signing the delivery's webhook-id with a timestamp under
	 * the shared secret. A User-Agent or a webhook-id header alone is what anyone can send, and proves nothing.
	 */
	private static function is_echo(): bool {
		if ( null === self::$echo ) {
			$guard      = Contracts::site_calls()['loop_guard'];
			$server_key = 'HTTP_' . strtoupper( str_replace( '-', '_', $guard['header'] ) );
			// phpcs:disable WordPress.Security.ValidatedSanitizedInput -- compared, never stored or shown.
			$signature = isset( $_SERVER[ $server_key ] ) ? (string) $_SERVER[ $server_key ] : '';
			$msg_id    = isset( $_SERVER['HTTP_WEBHOOK_ID'] ) ? (string) $_SERVER['HTTP_WEBHOOK_ID'] : '';
			// phpcs:enable
			$ours       = '' !== $signature && '' !== $msg_id && SiteSignature::verify( $guard['purpose'], $signature, $msg_id );
			self::$echo = $ours && ! apply_filters( 'fluent_community_webhooks/record_during_delivery', false );
		}
		return self::$echo;
	}

	/**
	 * Whether this once-per-request action was already recorded for the same object in this request.
	 *
	 * @param string $hook  Action name.
	 * @param mixed  $first The action's first argument: a model, an array or an id.
	 */
	private static function seen_before( string $hook, $first ): bool {
		if ( is_object( $first ) ) {
			$id = $first->id ?? ( $first->ID ?? null );
		} elseif ( is_array( $first ) ) {
			$id = $first['id'] ?? ( $first['ID'] ?? null );
		} else {
			$id = $first;
		}
		$key = $hook . '|' . ( is_scalar( $id ) ? (string) $id : '' );
		if ( isset( self::$seen[ $key ] ) ) {
			return true;
		}
		self::$seen[ $key ] = true;
		return false;
	}

	/**
	 * The fields remembered for this call (its spec has a 'before' action and its first argument is the id the
	 * before action passed), forgotten once taken; null when there are none.
	 *
	 * @param array<string, mixed> $spec  The call's hook spec.
	 * @param mixed                $first The call's first argument: the id.
	 * @return array<string, mixed>|null
	 */
	private static function take_remembered( array $spec, $first ): ?array {
		if ( empty( $spec['before'] ) || ! is_scalar( $first ) ) {
			return null;
		}
		$key    = $spec['hook'] . '|' . (string) $first;
		$fields = self::$remembered[ $key ] ?? null;
		unset( self::$remembered[ $key ] );
		return $fields;
	}

	/**
	 * Hook specs keyed by the name of their 'before' action, built once.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private static function before_specs(): array {
		if ( null === self::$before_specs ) {
			self::$before_specs = array();
			foreach ( Contracts::hooks() as $spec ) {
				if ( ! empty( $spec['before'] ) ) {
					self::$before_specs[ $spec['before']['hook'] ] = $spec;
				}
			}
		}
		return self::$before_specs;
	}

	/**
	 * Hook specs keyed by action name, built once.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private static function specs(): array {
		if ( null === self::$specs ) {
			self::$specs = array_column( Contracts::hooks(), null, 'hook' );
		}
		return self::$specs;
	}

	/**
	 * The id of this PHP request.
	 */
	private static function request_id(): string {
		if ( '' === self::$request_id ) {
			self::$request_id = wp_generate_uuid4();
		}
		return self::$request_id;
	}

	/**
	 * The current UTC time with microseconds, as the inbox's DATETIME(6) column takes it.
	 */
	private static function now(): string {
		list( $fraction, $seconds ) = explode( ' ', microtime() );
		return gmdate( 'Y-m-d H:i:s', (int) $seconds ) . '.' . substr( $fraction, 2, 6 );
	}
}
