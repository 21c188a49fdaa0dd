/** One delivery: its payload, every attempt with the request headers sent (secrets redacted), and Redeliver. */
import { Button, Modal, Notice, Spinner } from '@wordpress/components';
import { Fragment, useCallback, useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { getDelivery, redeliver, errorMessage } from './api';
import { deliveryStatuses } from './DeliveryList';

/** Headers as sent, one `name: value` a line (the API has already redacted signatures and custom values). */
const headerLines = (headers) =>
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');

export default function DeliveryPanel({ webhookId, deliveryId, onClose, onRedelivered }) {
  const [delivery, setDelivery] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    getDelivery(webhookId, deliveryId).then((answer) => {
      setDelivery(answer);
      setError(null);
    }, setError);
  }, [webhookId, deliveryId]);
  useEffect(load, [load]);

  const again = () => {
    setBusy(true);
    redeliver(webhookId, deliveryId).then(
      (answer) => {
        setBusy(false);
        setNotice({ status: 'success', text: answer.message });
        load();
        onRedelivered?.();
      },
      (failure) => {
        setBusy(false);
        setNotice({ status: 'error', text: errorMessage(failure) });
      },
    );
  };

  return (
    <Modal
      title={sprintf(__('Delivery #%d', 'fluent-community-webhooks'), deliveryId)}
      onRequestClose={onClose}
      size="large"
      className="fcwh-admin fcwh-delivery-panel"
    >
      {error && (
        <Notice status="error" isDismissible={false}>
          {sprintf(
            __('The delivery could not be loaded: %s', 'fluent-community-webhooks'),
            errorMessage(error),
          )}
        </Notice>
      )}
      {!delivery && !error && <Spinner />}
      {delivery && (
        <>
          <p>
            <strong>{delivery.event}</strong> ·{' '}
            {deliveryStatuses.find((s) => s.value === delivery.status)?.label ?? delivery.status} ·{' '}
            {sprintf(__('message id %s', 'fluent-community-webhooks'), delivery.message_id)} ·{' '}
            {sprintf(__('created %s UTC', 'fluent-community-webhooks'), delivery.created_at)}
            {delivery.next_attempt_at &&
              ` · ${sprintf(__('next attempt %s UTC', 'fluent-community-webhooks'), delivery.next_attempt_at)}`}
          </p>
          {notice && (
            <Notice status={notice.status} onRemove={() => setNotice(null)}>
              {notice.text}
            </Notice>
          )}
          <p>
            <Button variant="primary" onClick={again} isBusy={busy} disabled={busy}>
              {__('Redeliver', 'fluent-community-webhooks')}
            </Button>{' '}
            <Button variant="secondary" onClick={load}>
              {__('Refresh', 'fluent-community-webhooks')}
            </Button>
          </p>
          <h3>{__('Attempts', 'fluent-community-webhooks')}</h3>
          {delivery.attempts.length === 0 ? (
            <p>{__('No attempt yet.', 'fluent-community-webhooks')}</p>
          ) : (
            <table className="fcwh-attempts">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{__('Time (UTC)', 'fluent-community-webhooks')}</th>
                  <th>{__('Status code', 'fluent-community-webhooks')}</th>
                  <th>{__('Duration', 'fluent-community-webhooks')}</th>
                  <th>{__('Error', 'fluent-community-webhooks')}</th>
                  <th>{__('Response', 'fluent-community-webhooks')}</th>
                </tr>
              </thead>
              <tbody>
                {delivery.attempts.map((a) => (
                  <Fragment key={a.attempt}>
                    <tr className="fcwh-attempt">
                      <td>{a.attempt}</td>
                      <td>{a.started_at}</td>
                      <td>{a.status_code ?? '—'}</td>
                      <td>{sprintf(__('%d ms', 'fluent-community-webhooks'), a.duration_ms)}</td>
                      <td>{a.error ?? '—'}</td>
                      <td>
                        <code>{a.response_excerpt ?? '—'}</code>
                      </td>
                    </tr>
                    <tr className="fcwh-attempt-headers">
                      <td />
                      <td colSpan={5}>
                        <details>
                          <summary>
                            {sprintf(
                              __('Request headers of attempt %d', 'fluent-community-webhooks'),
                              a.attempt,
                            )}
                          </summary>
                          <pre className="fcwh-code">{headerLines(a.request_headers)}</pre>
                        </details>
                      </td>
                    </tr>
                  </Fragment>
                ))}
              </tbody>
            </table>
          )}
          <h3>{__('Payload', 'fluent-community-webhooks')}</h3>
          <pre className="fcwh-code fcwh-payload">{JSON.stringify(delivery.payload, null, 2)}</pre>
        </>
      )}
    </Modal>
  );
}
