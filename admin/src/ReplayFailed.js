/** "Replay failed since…": queues again every failed delivery of the webhook created since a chosen time (UTC). */
import { Button, DateTimePicker, Dropdown, Notice } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';
import { replay, errorMessage, fieldErrors } from './api';

/** The API's time format from the picker's value (`YYYY-MM-DDTHH:MM:SS`, read as UTC). */
const apiTime = (value) => value.slice(0, 19).replace('T', ' ');

function dayAgo() {
  return new Date(Date.now() - 86400_000).toISOString().slice(0, 19);
}

export default function ReplayFailed({ webhookId, onDone }) {
  const [since, setSince] = useState(dayAgo);
  const [notice, setNotice] = useState(null);
  const run = (close) => {
    close();
    replay(webhookId, { since: apiTime(since) }).then(
      (answer) => {
        setNotice({
          status: 'success',
          text: sprintf(
            _n(
              '%d failed delivery queued again.',
              '%d failed deliveries queued again.',
              answer.requeued,
              'fluent-community-webhooks',
            ),
            answer.requeued,
          ),
        });
        onDone?.();
      },
      (error) => setNotice({ status: 'error', text: fieldErrors(error).since ?? errorMessage(error) }),
    );
  };
  return (
    <div className="fcwh-replay">
      <Dropdown
        popoverProps={{ placement: 'bottom-start' }}
        renderToggle={({ isOpen, onToggle }) => (
          <Button variant="secondary" onClick={onToggle} aria-expanded={isOpen}>
            {__('Replay failed since…', 'fluent-community-webhooks')}
          </Button>
        )}
        renderContent={({ onClose }) => (
          <div style={{ padding: 12, minWidth: 280 }}>
            <p>
              <strong>{__('Failed deliveries created since (UTC)', 'fluent-community-webhooks')}</strong>
            </p>
            <DateTimePicker
              currentDate={since}
              onChange={(value) => value && setSince(value)}
              is12Hour={false}
            />
            <Button variant="primary" onClick={() => run(onClose)} style={{ marginTop: 8 }}>
              {sprintf(__('Replay failed since %s', 'fluent-community-webhooks'), apiTime(since))}
            </Button>
          </div>
        )}
      />
      {notice && (
        <Notice status={notice.status} onRemove={() => setNotice(null)}>
          {notice.text}
        </Notice>
      )}
    </div>
  );
}
