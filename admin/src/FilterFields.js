/**
 * A webhook's filters (shared/filters.ts): the spaces it listens to, the space privacy values that pass and the
 * roles whose actions do not. Each list empty: no filter. The API checks the values; its message names the field.
 */
import { CheckboxControl, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

const privacyLabels = () => [
  { value: 'public', label: __('Public', 'fluent-community-webhooks') },
  { value: 'private', label: __('Private', 'fluent-community-webhooks') },
  { value: 'secret', label: __('Secret', 'fluent-community-webhooks') },
];

/** Comma- or space-separated words, without empties. */
const words = (text) => text.split(/[\s,]+/).filter(Boolean);

/** Form values of the API's `filters`. */
export function filterValuesOf(filters) {
  return {
    spaces: (filters?.spaces ?? []).join(', '),
    privacy: filters?.privacy ?? [],
    exclude_roles: (filters?.exclude_roles ?? []).join(', '),
  };
}

/**
 * The `filters` body of the form's values. An id that is not a number is sent as typed, so that the API's own
 * message says what is wrong with it rather than the screen dropping it.
 */
export function filtersOf(values) {
  return {
    spaces: words(values.spaces).map((id) => (/^\d+$/.test(id) ? Number(id) : id)),
    privacy: values.privacy,
    exclude_roles: words(values.exclude_roles),
  };
}

/** The API's message about `filters` (or one of its keys), if any. */
export function filterError(errors) {
  const key = Object.keys(errors).find((k) => k === 'filters' || k.startsWith('filters.'));
  return key ? errors[key] : null;
}

export default function FilterFields({ value, onChange, spaces, error }) {
  const set = (patch) => onChange({ ...value, ...patch });
  const named = (spaces ?? []).map((space) => `${space.title} (${space.id})`).join(', ');
  const problem = (key) => (error && error.includes(`filters.${key}`) ? error : null);
  const anyOther = error && !['spaces', 'privacy', 'exclude_roles'].some((key) => problem(key));
  return (
    <>
      <TextControl
        __next40pxDefaultSize
        label={__('Spaces', 'fluent-community-webhooks')}
        help={
          problem('spaces') ||
          (named
            ? sprintf(__('Only events in: %s', 'fluent-community-webhooks'), named)
            : __(
                'Space, course or space group ids, separated by commas. Empty: events in every space pass.',
                'fluent-community-webhooks',
              ))
        }
        className={problem('spaces') ? 'fcwh-has-error' : undefined}
        aria-invalid={problem('spaces') ? true : undefined}
        value={value.spaces}
        onChange={(text) => set({ spaces: text })}
      />
      <fieldset
        className={`fcwh-fieldset${problem('privacy') ? ' fcwh-has-error' : ''}`}
        aria-describedby={problem('privacy') ? 'fcwh-error-privacy' : 'fcwh-help-privacy'}
      >
        <legend className="components-base-control__label">
          {__('Privacy', 'fluent-community-webhooks')}
        </legend>
        {privacyLabels().map((option) => (
          <CheckboxControl
            key={option.value}
            __nextHasNoMarginBottom
            label={option.label}
            checked={value.privacy.includes(option.value)}
            onChange={(on) =>
              set({
                privacy: on
                  ? [...value.privacy, option.value]
                  : value.privacy.filter((p) => p !== option.value),
              })
            }
          />
        ))}
        {problem('privacy') ? (
          <p className="fcwh-field-error" id="fcwh-error-privacy" role="alert">
            {problem('privacy')}
          </p>
        ) : (
          <p className="components-base-control__help" id="fcwh-help-privacy">
            {__(
              'Only events in spaces of these kinds pass. None checked: every space passes.',
              'fluent-community-webhooks',
            )}
          </p>
        )}
      </fieldset>
      <TextControl
        __next40pxDefaultSize
        label={__('Excluded roles', 'fluent-community-webhooks')}
        help={
          problem('exclude_roles') ||
          __(
            'WordPress roles (such as administrator) whose actions do not pass, separated by commas.',
            'fluent-community-webhooks',
          )
        }
        className={problem('exclude_roles') ? 'fcwh-has-error' : undefined}
        aria-invalid={problem('exclude_roles') ? true : undefined}
        value={value.exclude_roles}
        onChange={(text) => set({ exclude_roles: text })}
      />
      {anyOther && (
        <p className="fcwh-field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
