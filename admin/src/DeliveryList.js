/** One webhook's deliveries: newest first, filtered by status and event, paginated; each opens its panel. */
import { DataViews } from '@wordpress/dataviews/wp';
import { Button, Notice } from '@wordpress/components';
import { useCallback, useEffect, useMemo, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { getWebhook, listDeliveries, errorMessage } from './api';
import { useCatalogue } from './catalogue';
import DeliveryPanel from './DeliveryPanel';
import ReplayFailed from './ReplayFailed';
import { navigate } from './route';
import { TimeAgo } from './time';

export const deliveryStatuses = [
  { value: 'pending', label: __('Pending', 'fluent-community-webhooks') },
  { value: 'in_flight', label: __('Sending', 'fluent-community-webhooks') },
  { value: 'delivered', label: __('Delivered', 'fluent-community-webhooks') },
  { value: 'failed', label: __('Failed', 'fluent-community-webhooks') },
];

const initialView = {
  type: 'table',
  filters: [],
  page: 1,
  perPage: 20,
  titleField: 'event',
  fields: ['status', 'attempt_count', 'last_status_code', 'created_at', 'last_error'],
  layout: {},
};

export default function DeliveryList({ webhookId }) {
  const [view, setView] = useState(initialView);
  const [result, setResult] = useState({ items: [], totalItems: 0, totalPages: 0 });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState(null);
  const [webhook, setWebhook] = useState(null);
  const [open, setOpen] = useState(null);
  const { events: catalogue } = useCatalogue();

  useEffect(() => {
    getWebhook(webhookId).then(setWebhook, () => undefined);
  }, [webhookId]);

  const load = useCallback(() => {
    const filter = (field) => view.filters?.find((f) => f.field === field && f.value)?.value;
    setLoading(true);
    listDeliveries(webhookId, {
      page: view.page,
      per_page: view.perPage,
      status: filter('status'),
      event: filter('event'),
    }).then(
      (answer) => {
        setResult(answer);
        setError(null);
        setLoading(false);
      },
      (failure) => {
        setError(failure);
        setLoading(false);
      },
    );
  }, [view, webhookId]);
  useEffect(load, [load]);

  const fields = useMemo(
    () => [
      {
        id: 'event',
        label: __('Event', 'fluent-community-webhooks'),
        enableHiding: false,
        enableSorting: false,
        elements: (catalogue ?? []).map((e) => ({ value: e.name, label: e.name })),
        filterBy: { operators: ['is'] },
        render: ({ item }) => (
          <Button variant="link" onClick={() => setOpen(item.id)}>
            {item.event}
          </Button>
        ),
      },
      {
        id: 'status',
        label: __('Status', 'fluent-community-webhooks'),
        enableSorting: false,
        elements: deliveryStatuses,
        filterBy: { operators: ['is'] },
        render: ({ item }) => deliveryStatuses.find((s) => s.value === item.status)?.label ?? item.status,
      },
      {
        id: 'attempt_count',
        label: __('Attempts', 'fluent-community-webhooks'),
        enableSorting: false,
        filterBy: false,
      },
      {
        id: 'last_status_code',
        label: __('Status code', 'fluent-community-webhooks'),
        enableSorting: false,
        filterBy: false,
        render: ({ item }) => item.last_status_code ?? '—',
      },
      {
        id: 'created_at',
        label: __('Created', 'fluent-community-webhooks'),
        enableSorting: false,
        filterBy: false,
        render: ({ item }) => <TimeAgo value={item.created_at} />,
      },
      {
        id: 'last_error',
        label: __('Last error', 'fluent-community-webhooks'),
        enableSorting: false,
        filterBy: false,
        render: ({ item }) => item.last_error ?? '—',
      },
    ],
    [catalogue],
  );

  const actions = [
    {
      id: 'view',
      label: __('View', 'fluent-community-webhooks'),
      isPrimary: true,
      callback: ([item]) => setOpen(item.id),
    },
  ];

  return (
    <div className="fcwh-section fcwh-delivery-list">
      <h2>
        {sprintf(
          __('Deliveries of %s', 'fluent-community-webhooks'),
          webhook ? webhook.name : `#${webhookId}`,
        )}
      </h2>
      <p>
        <Button variant="secondary" onClick={() => navigate(`webhooks/${webhookId}`)}>
          {__('Edit webhook', 'fluent-community-webhooks')}
        </Button>{' '}
        <Button variant="secondary" onClick={load}>
          {__('Refresh', 'fluent-community-webhooks')}
        </Button>
      </p>
      <ReplayFailed webhookId={webhookId} onDone={load} />
      {error && (
        <Notice status="error" isDismissible={false}>
          {sprintf(
            __('The deliveries could not be loaded: %s', 'fluent-community-webhooks'),
            errorMessage(error),
          )}
        </Notice>
      )}
      <DataViews
        data={result.items}
        fields={fields}
        view={view}
        onChangeView={setView}
        actions={actions}
        isLoading={loading}
        getItemId={(item) => String(item.id)}
        paginationInfo={{ totalItems: result.totalItems, totalPages: result.totalPages }}
        defaultLayouts={{ table: {} }}
        search={false}
        empty={<p>{error ? '—' : __('No deliveries yet.', 'fluent-community-webhooks')}</p>}
      />
      {open && (
        <DeliveryPanel
          webhookId={webhookId}
          deliveryId={open}
          onClose={() => setOpen(null)}
          onRedelivered={load}
        />
      )}
    </div>
  );
}
