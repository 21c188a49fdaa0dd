<?php
/**
 * Model classes named as Fluent Community's (see "__class" in test/fixtures/hook-args), declared only when the
 * real plugin did not load them. Required on plugins_loaded, when every plugin's autoloader is registered.
 *
 * @package FcwhTest\FcEmulator
 */

declare(strict_types=1);

namespace FluentCommunity\App\Models {

	use FcwhTest\FcEmulator\Model;

	defined( 'ABSPATH' ) || exit;

	if ( ! class_exists( Feed::class ) ) {
		/** A feed post. */
		class Feed extends Model {}
	}
	if ( ! class_exists( Comment::class ) ) {
		/** A comment on a feed post. */
		class Comment extends Model {}
	}
	if ( ! class_exists( Reaction::class ) ) {
		/** A reaction on a post or comment. */
		class Reaction extends Model {}
	}
	if ( ! class_exists( Space::class ) ) {
		/** A community space. */
		class Space extends Model {}
	}
	if ( ! class_exists( SpaceUserPivot::class ) ) {
		/** A space or course membership row. */
		class SpaceUserPivot extends Model {}
	}
	if ( ! class_exists( XProfile::class ) ) {
		/** A member's community profile. */
		class XProfile extends Model {}
	}
	if ( ! class_exists( User::class ) ) {
		/** Fluent Community's model of a WordPress user (e.g. a space's "membership" relation). */
		class User extends Model {}
	}
}

namespace FluentCommunity\Modules\Course\Model {

	use FcwhTest\FcEmulator\Model;

	if ( ! class_exists( Course::class ) ) {
		/** A course (a space of type "course"). */
		class Course extends Model {}
	}
	if ( ! class_exists( CourseLesson::class ) ) {
		/** A lesson of a course. */
		class CourseLesson extends Model {}
	}
}

namespace FluentCommunityPro\App\Models {

	use FcwhTest\FcEmulator\Model;

	if ( ! class_exists( Follow::class ) ) {
		/** A follow (level 1 or 2) or block (level 0) between two users. Pro. */
		class Follow extends Model {}
	}
	if ( ! class_exists( Moderation::class ) ) {
		/** A moderation report. Pro. */
		class Moderation extends Model {}
	}
}
