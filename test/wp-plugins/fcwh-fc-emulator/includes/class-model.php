<?php
/**
 * A minimal stand-in for Fluent Community's Eloquent-style models (WPFluent ORM).
 *
 * @package FcwhTest\FcEmulator
 */

declare(strict_types=1);

namespace FcwhTest\FcEmulator;

defined( 'ABSPATH' ) || exit;

/**
 * Attributes plus loaded relations, read as properties and serialised by toArray() like Eloquent does:
 * attributes first, then relations, nested models serialised too.
 */
abstract class Model {

	/**
	 * Column values, in the order they were filled.
	 *
	 * @var array<string, mixed>
	 */
	protected array $attributes = array();

	/**
	 * Loaded relations: a model, a list of models, or null.
	 *
	 * @var array<string, mixed>
	 */
	protected array $relations = array();

	/**
	 * Sets attributes without any fillable guard, like Eloquent's forceFill().
	 *
	 * @param array<string, mixed> $attributes Column values.
	 * @return static
	 */
	public function forceFill( array $attributes ) {
		foreach ( $attributes as $key => $value ) {
			$this->attributes[ $key ] = $value;
		}
		return $this;
	}

	/**
	 * Sets a loaded relation, like Eloquent's setRelation().
	 *
	 * @param string $name  Relation name, e.g. 'xprofile'.
	 * @param mixed  $value A model, a list of models, or null.
	 * @return static
	 */
	public function setRelation( string $name, $value ) {
		$this->relations[ $name ] = $value;
		return $this;
	}

	/**
	 * The primary key value.
	 *
	 * @return mixed
	 */
	public function getKey() {
		return $this->attributes['id'] ?? null;
	}

	/**
	 * Attributes then relations, nested models as arrays.
	 *
	 * @return array<string, mixed>
	 */
	public function toArray(): array {
		$array = array();
		foreach ( $this->attributes + $this->relations as $key => $value ) {
			$array[ $key ] = self::serialise( $value );
		}
		return $array;
	}

	/**
	 * Reads an attribute or a relation, like Eloquent's magic properties.
	 *
	 * @param string $name Attribute or relation name.
	 * @return mixed
	 */
	public function __get( string $name ) {
		if ( array_key_exists( $name, $this->attributes ) ) {
			return $this->attributes[ $name ];
		}
		return $this->relations[ $name ] ?? null;
	}

	/**
	 * Writes an attribute.
	 *
	 * @param string $name  Attribute name.
	 * @param mixed  $value Value.
	 */
	public function __set( string $name, $value ): void {
		$this->attributes[ $name ] = $value;
	}

	/**
	 * Whether an attribute or relation is set and not null.
	 *
	 * @param string $name Attribute or relation name.
	 */
	public function __isset( string $name ): bool {
		return isset( $this->attributes[ $name ] ) || isset( $this->relations[ $name ] );
	}

	/**
	 * A value as toArray() returns it.
	 *
	 * @param mixed $value Attribute or relation value.
	 * @return mixed
	 */
	private static function serialise( $value ) {
		if ( $value instanceof self ) {
			return $value->toArray();
		}
		if ( is_array( $value ) ) {
			return array_map( array( self::class, 'serialise' ), $value );
		}
		return $value;
	}
}
