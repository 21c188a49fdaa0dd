/** "Send test": sends the signed test payload and shows success, status code, response time and message. */
import { Button, Notice, Spinner } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { testWebhook, errorMessage } from './api';

export default function TestButton({ webhookId, autoStart = false }) {
  const [state, setState] = useState({ running: false, result: null, error: null });
  const run = () => {
    setState({ running: true, result: null, error: null });
    testWebhook(webhookId).then(
      (result) => setState({ running: false, result, error: null }),
      (error) => setState({ running: false, result: null, error }),
    );
  };
  useEffect(() => {
    if (autoStart) run();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const { running, result, error } = state;
  return (
    <div className="fcwh-test">
      <Button variant="secondary" onClick={run} isBusy={running} disabled={running}>
        {__('Send test', 'fluent-community-webhooks')}
      </Button>
      {running && <Spinner />}
      {result && (
        <Notice
          status={result.success ? 'success' : 'error'}
          isDismissible={false}
          className="fcwh-test-result"
        >
          <strong>
            {result.success
              ? __('Test delivered.', 'fluent-community-webhooks')
              : __('Test failed.', 'fluent-community-webhooks')}
          </strong>{' '}
          {sprintf(
            /* translators: 1: HTTP status code or "none", 2: milliseconds, 3: the API's message. */
            __('Status code: %1$s · Response time: %2$d ms · %3$s', 'fluent-community-webhooks'),
            result.status_code ?? __('none', 'fluent-community-webhooks'),
            result.response_time,
            result.message,
          )}
        </Notice>
      )}
      {error && (
        <Notice status="error" isDismissible={false}>
          {sprintf(__('The test could not be sent: %s', 'fluent-community-webhooks'), errorMessage(error))}
        </Notice>
      )}
    </div>
  );
}
