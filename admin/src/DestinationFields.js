/**
 * The fields a format takes (shared/destinations.ts): a display name and avatar for chat messages, the addresses
 * and subject prefix of e-mail, a template and its Content-Type, and the pace ("Rate limit") of every format.
 */
import { TextControl, TextareaControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

const chatFormats = ['slack', 'discord'];

/** Form values of the API's `options`. */
export function optionValuesOf(options) {
  const to = options?.to;
  return {
    display_name: options?.display_name ?? '',
    avatar_url: options?.avatar_url ?? '',
    to: Array.isArray(to) ? to.join(', ') : (to ?? ''),
    from: options?.from ?? '',
    subject_prefix: options?.subject_prefix ?? '',
  };
}

/** The `options` body of a format (only the keys it takes, only those filled in); undefined for no options. */
export function optionsOf(format, values) {
  const filled = (keys) =>
    Object.fromEntries(
      keys.filter((key) => values[key].trim() !== '').map((key) => [key, values[key].trim()]),
    );
  if (chatFormats.includes(format)) return filled(['display_name', 'avatar_url']);
  if (format === 'sendgrid') {
    const options = filled(['from', 'subject_prefix']);
    const to = values.to.split(/[\s,]+/).filter(Boolean);
    if (to.length) options.to = to;
    return options;
  }
  return undefined;
}

/**
 * The API's message about the option `key`: it names the option first ("Option display_name for the discord format
 * …", "Option to.1 for the sendgrid format …"), or among unknown ones.
 */
function optionError(errors, key) {
  const message = errors.options;
  return message && new RegExp(`^Option ${key}[ .]`).test(message) ? message : null;
}

function OptionControl({ label, help, name, values, errors, onChange, type = 'text' }) {
  const problem = optionError(errors, name);
  return (
    <TextControl
      __next40pxDefaultSize
      type={type}
      label={label}
      help={problem || help}
      className={problem ? 'fcwh-has-error' : undefined}
      aria-invalid={problem ? true : undefined}
      value={values[name]}
      onChange={(text) => onChange({ ...values, [name]: text })}
    />
  );
}

/** The options of the chosen format, if it takes any. */
export function FormatOptions({ format, values, errors, onChange }) {
  const props = { values, errors, onChange };
  const named = ['display_name', 'avatar_url', 'to', 'from', 'subject_prefix'];
  const other = errors.options && !named.some((key) => optionError(errors, key)) ? errors.options : null;
  let controls = null;
  if (chatFormats.includes(format)) {
    controls = (
      <>
        <OptionControl
          {...props}
          name="display_name"
          label={__('Display name', 'fluent-community-webhooks')}
          help={__('The name the messages are posted under.', 'fluent-community-webhooks')}
        />
        <OptionControl
          {...props}
          name="avatar_url"
          type="url"
          label={__('Avatar URL', 'fluent-community-webhooks')}
          help={__('An https URL of the picture shown with the messages.', 'fluent-community-webhooks')}
        />
      </>
    );
  } else if (format === 'sendgrid') {
    controls = (
      <>
        <OptionControl
          {...props}
          name="to"
          label={__('To', 'fluent-community-webhooks')}
          help={__(
            "Addresses, separated by commas. Empty: the site's admin e-mail.",
            'fluent-community-webhooks',
          )}
        />
        <OptionControl
          {...props}
          name="from"
          type="email"
          label={__('From', 'fluent-community-webhooks')}
          help={__(
            "A sender SendGrid has verified. Empty: the site's admin e-mail.",
            'fluent-community-webhooks',
          )}
        />
        <OptionControl
          {...props}
          name="subject_prefix"
          label={__('Subject prefix', 'fluent-community-webhooks')}
          help={__('Put before each subject, such as "[Community] ".', 'fluent-community-webhooks')}
        />
      </>
    );
  }
  if (!controls && !other) return null;
  return (
    <>
      {controls}
      {other && (
        <p className="fcwh-field-error" role="alert">
          {other}
        </p>
      )}
    </>
  );
}

/** The template and its Content-Type (format `template`). `templateError` is the API's, from a save or a preview. */
export function TemplateFields({ template, contentType, errors, templateError, onChange }) {
  return (
    <div className="fcwh-template">
      <TextareaControl
        __nextHasNoMarginBottom
        label={__('Template', 'fluent-community-webhooks')}
        help={
          templateError ||
          __(
            'Liquid: the body sent for each event. It sees event, timestamp, data, xprofile, site and webhook; {{ data.title | json }} writes a value as JSON.',
            'fluent-community-webhooks',
          )
        }
        className={templateError ? 'fcwh-has-error' : undefined}
        aria-invalid={templateError ? true : undefined}
        rows={8}
        value={template}
        onChange={(text) => onChange({ template: text })}
      />
      <TextControl
        __next40pxDefaultSize
        label={__('Content type', 'fluent-community-webhooks')}
        help={
          errors.content_type ||
          __(
            'The Content-Type the body is sent with. Empty: application/json (the output must then be JSON).',
            'fluent-community-webhooks',
          )
        }
        className={errors.content_type ? 'fcwh-has-error' : undefined}
        aria-invalid={errors.content_type ? true : undefined}
        placeholder="application/json"
        value={contentType}
        onChange={(text) => onChange({ content_type: text })}
      />
    </div>
  );
}
