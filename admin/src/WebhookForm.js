/**
 * Add or edit a webhook. Each field is one entry of `fields` below, in the order shown; fields the API gains
 * (template, content type, options, rate limit, filters) go there too, and are sent only when the API accepts
 * them (acceptedFields). The API validates: its message appears under the field `data.params` names.
 */
import {
  Button,
  Notice,
  SelectControl,
  Spinner,
  TextControl,
  __experimentalConfirmDialog as ConfirmDialog,
} from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import {
  acceptedFields,
  createWebhook,
  errorMessage,
  fieldErrors,
  getWebhook,
  rotateSecret,
  updateWebhook,
} from './api';
import BodyPreview from './BodyPreview';
import { FormatOptions, optionValuesOf, optionsOf, TemplateFields } from './DestinationFields';
import EventPicker from './EventPicker';
import FilterFields, { filterError, filterValuesOf, filtersOf } from './FilterFields';
import { detectFormat, formatLabel, formats } from './format';
import HeaderRows, { headersOf, rowsOf } from './HeaderRows';
import { navigate } from './route';
import SecretNotice, { rememberSecret, takeSecret } from './SecretNotice';
import TestButton from './TestButton';

const blank = {
  name: '',
  url: '',
  events: [],
  status: 'active',
  format: 'json',
  retry_count: 3,
  headerRows: [],
  options: optionValuesOf({}),
  rate_limit: '',
  template: '',
  content_type: '',
  filters: filterValuesOf({}),
};

/** Form values of a webhook from the API. */
function valuesOf(webhook) {
  return {
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    status: webhook.status,
    format: webhook.format ?? detectFormat(webhook.url),
    retry_count: webhook.retry_count,
    headerRows: rowsOf(webhook.headers),
    options: optionValuesOf(webhook.options),
    // The answer shows the pace in use (the format's default when none was set): shown, sent only when edited.
    rate_limit:
      webhook.rate_limit === null || webhook.rate_limit === undefined ? '' : String(webhook.rate_limit),
    template: webhook.template ?? '',
    content_type: webhook.format === 'template' ? (webhook.content_type ?? '') : '',
    filters: filterValuesOf(webhook.filters),
    filterSpaces: webhook.filter_spaces ?? [],
  };
}

/** What the preview renders: the format and its fields, as the form has them. */
function draftOf(values) {
  const draft = { format: values.format };
  if (values.format === 'template') {
    if (values.template !== '') draft.template = values.template;
    if (values.content_type.trim() !== '') draft.content_type = values.content_type.trim();
  }
  const options = optionsOf(values.format, values.options);
  if (options) draft.options = options;
  return draft;
}

/**
 * The request body of the form's values. `format` (and later fields) are included only when the API lists them
 * among the create route's arguments, so that an API without them is never sent a field it would ignore or refuse.
 */
function bodyOf(values, accepted, rateTouched) {
  const body = {
    name: values.name,
    url: values.url,
    events: values.events,
    status: values.status,
    retry_count: Number(values.retry_count),
    headers: headersOf(values.headerRows),
  };
  if (accepted.has('format')) Object.assign(body, draftOf(values));
  if (accepted.has('rate_limit') && rateTouched)
    body.rate_limit = values.rate_limit.trim() === '' ? null : Number(values.rate_limit);
  if (accepted.has('filters')) body.filters = filtersOf(values.filters);
  return body;
}

/**
 * Props that show the API's message for field `name` as the control's help text (so that the control's accessible
 * description says it), in place of the usual help.
 */
function feedback(errors, name, help) {
  return errors[name]
    ? { help: errors[name], className: 'fcwh-has-error', 'aria-invalid': true }
    : { help, className: undefined };
}

/** The API's message for a group of controls (events, headers), which the group names as its description. */
function GroupError({ errors, name }) {
  if (!errors[name]) return null;
  return (
    <p className="fcwh-field-error" id={`fcwh-error-${name}`} role="alert">
      {errors[name]}
    </p>
  );
}

export default function WebhookForm({ id }) {
  const [values, setValues] = useState(id ? null : blank);
  const [formatTouched, setFormatTouched] = useState(Boolean(id));
  const [loadError, setLoadError] = useState(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(null);
  const [secret, setSecret] = useState(() => (id ? takeSecret(id) : null));
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [accepted, setAccepted] = useState(null);
  const [rateTouched, setRateTouched] = useState(false);
  const [savedDraft, setSavedDraft] = useState(null);
  const [previewError, setPreviewError] = useState(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    acceptedFields().then(setAccepted);
  }, []);

  useEffect(() => {
    if (!id) return;
    getWebhook(id).then((webhook) => {
      setValues(valuesOf(webhook));
      setSavedDraft(JSON.stringify(draftOf(valuesOf(webhook))));
    }, setLoadError);
  }, [id]);

  if (loadError) {
    return (
      <div className="fcwh-section">
        <Notice status="error" isDismissible={false}>
          {sprintf(
            __('The webhook could not be loaded: %s', 'fluent-community-webhooks'),
            errorMessage(loadError),
          )}
        </Notice>
      </div>
    );
  }
  if (!values) return <Spinner />;

  const errors = fieldErrors(error);
  // Editing a field clears the API's message about it: the message was about the value that was sent.
  const set = (patch) => {
    setValues((v) => ({ ...v, ...patch }));
    const stale = Object.keys(patch).map((key) => (key === 'headerRows' ? 'headers' : key));
    if (stale.some((key) => errors[key])) {
      const params = Object.fromEntries(Object.entries(errors).filter(([key]) => !stale.includes(key)));
      setError({ ...error, data: { ...error.data, params } });
    }
  };
  const detected = detectFormat(values.url);
  const draft = draftOf(values);
  const previewProblem =
    previewError && (previewError.data?.params?.template || /template/.test(previewError.code ?? ''))
      ? (previewError.data?.params?.template ?? previewError.message)
      : null;
  const templateError = errors.template || previewProblem;
  const hasFormats = accepted?.has('format');

  const save = async (event) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    setSaved(null);
    try {
      const body = bodyOf(values, await acceptedFields(), rateTouched);
      if (id) {
        const answer = await updateWebhook(id, body);
        setValues(valuesOf(answer));
        setSavedDraft(JSON.stringify(draftOf(valuesOf(answer))));
        setRateTouched(false);
        setRevision((r) => r + 1);
        setSaved(answer.message);
      } else {
        const answer = await createWebhook(body);
        rememberSecret(answer.id, answer.secret);
        navigate(`webhooks/${answer.id}`);
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };

  const rotate = () => {
    setConfirmRotate(false);
    rotateSecret(id).then((answer) => {
      setSecret(answer.secret);
      setSaved(answer.message);
    }, setError);
  };

  return (
    <div className="fcwh-section">
      <h2>
        {id
          ? sprintf(__('Edit webhook: %s', 'fluent-community-webhooks'), values.name)
          : __('Add webhook', 'fluent-community-webhooks')}
      </h2>
      {secret && <SecretNotice secret={secret} onDismiss={() => setSecret(null)} />}
      {saved && (
        <Notice status="success" onRemove={() => setSaved(null)}>
          {saved}
        </Notice>
      )}
      {error && (
        <Notice status="error" isDismissible={false} className="fcwh-save-error">
          {errorMessage(error)}
        </Notice>
      )}
      <form className="fcwh-form" onSubmit={save} noValidate>
        <div>
          <TextControl
            __next40pxDefaultSize
            label={__('Name', 'fluent-community-webhooks')}
            {...feedback(errors, 'name')}
            value={values.name}
            onChange={(name) => set({ name })}
          />
        </div>
        <div>
          <TextControl
            __next40pxDefaultSize
            type="url"
            label={__('Delivery URL', 'fluent-community-webhooks')}
            {...feedback(
              errors,
              'url',
              sprintf(__('Detected format: %s', 'fluent-community-webhooks'), formatLabel(detected)),
            )}
            value={values.url}
            onChange={(url) => set(formatTouched ? { url } : { url, format: detectFormat(url) })}
          />
        </div>
        <fieldset
          className="fcwh-fieldset"
          aria-describedby={errors.events ? 'fcwh-error-events' : undefined}
        >
          <legend className="components-base-control__label">
            {__('Events', 'fluent-community-webhooks')}
          </legend>
          <EventPicker value={values.events} onChange={(events) => set({ events })} />
          <GroupError errors={errors} name="events" />
        </fieldset>
        <div>
          <SelectControl
            __next40pxDefaultSize
            __nextHasNoMarginBottom
            label={__('Status', 'fluent-community-webhooks')}
            value={values.status}
            options={[
              { value: 'active', label: __('Active', 'fluent-community-webhooks') },
              { value: 'inactive', label: __('Inactive', 'fluent-community-webhooks') },
            ]}
            {...feedback(errors, 'status')}
            onChange={(status) => set({ status })}
          />
        </div>
        <div>
          <SelectControl
            __next40pxDefaultSize
            __nextHasNoMarginBottom
            label={__('Format', 'fluent-community-webhooks')}
            {...feedback(
              errors,
              'format',
              accepted?.has('format')
                ? __(
                    'How the body is shaped: the signed JSON envelope, or the message a chat or e-mail service expects.',
                    'fluent-community-webhooks',
                  )
                : __(
                    'This version of the webhooks service sends the signed JSON envelope only.',
                    'fluent-community-webhooks',
                  ),
            )}
            value={accepted?.has('format') ? values.format : 'json'}
            disabled={!accepted?.has('format')}
            options={formats}
            onChange={(format) => {
              setFormatTouched(true);
              set({ format });
            }}
          />
        </div>
        {hasFormats && (
          <FormatOptions
            format={values.format}
            values={values.options}
            errors={errors}
            onChange={(options) => set({ options })}
          />
        )}
        {hasFormats && values.format === 'template' && (
          <TemplateFields
            template={values.template}
            contentType={values.content_type}
            errors={errors}
            templateError={templateError}
            onChange={set}
          />
        )}
        {hasFormats && (
          <div>
            <TextControl
              __next40pxDefaultSize
              type="number"
              min={0}
              step="any"
              label={__('Rate limit', 'fluent-community-webhooks')}
              {...feedback(
                errors,
                'rate_limit',
                __(
                  "Requests per second at most; 0: unpaced. Empty: the format's default (Slack 1, Discord 2.5).",
                  'fluent-community-webhooks',
                ),
              )}
              value={values.rate_limit}
              onChange={(rate_limit) => {
                setRateTouched(true);
                set({ rate_limit });
              }}
            />
          </div>
        )}
        {accepted?.has('filters') && (
          <fieldset className="fcwh-fieldset">
            <legend className="components-base-control__label">
              {__('Filters', 'fluent-community-webhooks')}
            </legend>
            <FilterFields
              value={values.filters}
              spaces={values.filterSpaces}
              error={filterError(errors)}
              onChange={(filters) => set({ filters })}
            />
          </fieldset>
        )}
        {hasFormats && (
          <fieldset className="fcwh-fieldset">
            <legend className="components-base-control__label">
              {__('Preview', 'fluent-community-webhooks')}
            </legend>
            <BodyPreview
              id={id}
              draft={draft}
              unsaved={!id || savedDraft !== JSON.stringify(draft)}
              revision={revision}
              onError={setPreviewError}
            />
          </fieldset>
        )}
        <div>
          <TextControl
            __next40pxDefaultSize
            type="number"
            min={0}
            max={10}
            label={__('Retries', 'fluent-community-webhooks')}
            {...feedback(
              errors,
              'retry_count',
              __(
                'Attempts after a failed one, 0 to 10, on an exponential schedule.',
                'fluent-community-webhooks',
              ),
            )}
            value={String(values.retry_count)}
            onChange={(retry_count) => set({ retry_count })}
          />
        </div>
        <fieldset
          className="fcwh-fieldset"
          aria-describedby={errors.headers ? 'fcwh-error-headers' : undefined}
        >
          <legend className="components-base-control__label">
            {__('Custom headers', 'fluent-community-webhooks')}
          </legend>
          <HeaderRows rows={values.headerRows} onChange={(headerRows) => set({ headerRows })} />
          <GroupError errors={errors} name="headers" />
        </fieldset>
        <div>
          <Button variant="primary" type="submit" isBusy={saving} disabled={saving}>
            {__('Save', 'fluent-community-webhooks')}
          </Button>{' '}
          <Button variant="tertiary" onClick={() => navigate('')}>
            {__('Back to the list', 'fluent-community-webhooks')}
          </Button>
        </div>
      </form>
      {id && (
        <div className="fcwh-form-tools">
          <hr />
          <TestButton webhookId={id} />
          <p>
            <Button variant="secondary" onClick={() => navigate(`webhooks/${id}/deliveries`)}>
              {__('Deliveries', 'fluent-community-webhooks')}
            </Button>{' '}
            <Button variant="secondary" isDestructive onClick={() => setConfirmRotate(true)}>
              {__('Rotate secret', 'fluent-community-webhooks')}
            </Button>
          </p>
          <ConfirmDialog
            isOpen={confirmRotate}
            onConfirm={rotate}
            onCancel={() => setConfirmRotate(false)}
            confirmButtonText={__('Rotate secret', 'fluent-community-webhooks')}
          >
            {__(
              'Issue a new signing secret? The old one keeps signing alongside it for an overlap window, so that receivers can switch.',
              'fluent-community-webhooks',
            )}
          </ConfirmDialog>
        </div>
      )}
    </div>
  );
}
