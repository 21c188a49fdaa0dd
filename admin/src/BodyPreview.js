/**
 * A live preview of what the form's format sends for an event's example: the API renders it (the screen has no
 * renderer of its own). An unsaved draft goes to POST /admin/webhooks/preview; a saved webhook whose format fields
 * are unchanged goes to its own preview route, which also says whether its saved filters let the example through.
 */
import { Notice, SelectControl, Spinner } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { errorMessage, previewFormat, previewWebhook } from './api';
import { useCatalogue } from './catalogue';

/** Pretty-printed when the body is JSON, so that the preview reads like the payloads elsewhere on the screen. */
function shown(body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * @param {Object}   props
 * @param {number}   props.id       The saved webhook's id, if any.
 * @param {Object}   props.draft    The format fields as the form has them: `{format, template, content_type, options}`.
 * @param {boolean}  props.unsaved  True when the draft differs from what is saved.
 * @param {number}   props.revision Changes with each save, so that the verdict follows the saved filters.
 * @param {Function} props.onError  Called with the API's error of the draft's preview (or null once it renders).
 */
export default function BodyPreview({ id, draft, unsaved, revision, onError }) {
  const { events } = useCatalogue();
  const [event, setEvent] = useState('feed.created');
  const [state, setState] = useState({ loading: true, preview: null, error: null, filter: null });
  const key = JSON.stringify({ id, draft, unsaved, revision, event });

  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    // Typing in the template would otherwise send a request per key stroke.
    const timer = setTimeout(async () => {
      const own = id ? previewWebhook(id, { event }) : null;
      const body = !id || unsaved ? previewFormat({ ...draft, event }) : own;
      const [bodyResult, ownResult] = await Promise.allSettled([body, own]);
      if (!live) return;
      const filter = ownResult.status === 'fulfilled' ? ownResult.value?.filter : null;
      if (bodyResult.status === 'fulfilled') {
        setState({ loading: false, preview: bodyResult.value, error: null, filter });
        onError(null);
      } else {
        setState({ loading: false, preview: null, error: bodyResult.reason, filter });
        onError(bodyResult.reason);
      }
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `key` holds every input of the preview.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return (
    <div className="fcwh-preview" aria-busy={state.loading}>
      <SelectControl
        __next40pxDefaultSize
        __nextHasNoMarginBottom
        label={__('Preview for event', 'fluent-community-webhooks')}
        value={event}
        options={(events ?? [{ name: 'feed.created' }]).map((e) => ({ value: e.name, label: e.name }))}
        onChange={setEvent}
      />
      {state.filter && (
        <Notice
          status={state.filter.filtered_out ? 'warning' : 'info'}
          isDismissible={false}
          className="fcwh-preview-filter"
        >
          {state.filter.filtered_out
            ? sprintf(
                __(
                  'The saved filters keep this event out: %s It would not be sent to this webhook.',
                  'fluent-community-webhooks',
                ),
                state.filter.reason ?? '',
              )
            : __('The saved filters let this event through.', 'fluent-community-webhooks')}
        </Notice>
      )}
      {state.loading && !state.preview && <Spinner />}
      {state.error && (
        <Notice status="error" isDismissible={false}>
          {sprintf(__('No preview: %s', 'fluent-community-webhooks'), errorMessage(state.error))}
        </Notice>
      )}
      {state.preview && (
        <>
          <p>
            {sprintf(
              unsaved && id
                ? __('Body of the unsaved changes (Content-Type %s):', 'fluent-community-webhooks')
                : __('Body (Content-Type %s):', 'fluent-community-webhooks'),
              state.preview.content_type,
            )}
          </p>
          <pre
            className="fcwh-preview-body"
            tabIndex={0}
            aria-label={__('Preview body', 'fluent-community-webhooks')}
          >
            {shown(state.preview.body)}
          </pre>
        </>
      )}
    </div>
  );
}
