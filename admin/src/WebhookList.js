/** The list of webhooks: a DataViews table with search, filters by status and event, pages and bulk actions. */
import { DataViews } from '@wordpress/dataviews/wp';
import { Notice, Button } from '@wordpress/components';
import { useCallback, useEffect, useMemo, useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';
import { listWebhooks, updateWebhook, deleteWebhook, isSidecarDown, errorMessage } from './api';
import { useCatalogue } from './catalogue';
import { FormatIcon, formatLabel } from './format';
import { navigate } from './route';
import { TimeAgo } from './time';
import TestButton from './TestButton';

const statuses = [
  { value: 'active', label: __('Active', 'fluent-community-webhooks') },
  { value: 'inactive', label: __('Inactive', 'fluent-community-webhooks') },
];

const initialView = {
  type: 'table',
  search: '',
  filters: [],
  page: 1,
  perPage: 10,
  titleField: 'name',
  fields: ['destination', 'status', 'events', 'last_triggered_at', 'last_error'],
  layout: {},
};

/** The list route's query for a view: search, one status, one event, the page. */
function queryOf(view) {
  const filter = (field) => view.filters?.find((f) => f.field === field && f.value)?.value;
  return {
    page: view.page,
    per_page: view.perPage,
    search: view.search,
    status: filter('status'),
    event: filter('events'),
  };
}

export default function WebhookList() {
  const [view, setView] = useState(initialView);
  const [result, setResult] = useState({ items: [], totalItems: 0, totalPages: 0 });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const { events: catalogue } = useCatalogue();

  const load = useCallback(() => {
    setLoading(true);
    listWebhooks(queryOf(view)).then(
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
  }, [view]);
  useEffect(load, [load]);

  const fields = useMemo(
    () => [
      {
        id: 'name',
        label: __('Name', 'fluent-community-webhooks'),
        enableHiding: false,
        enableSorting: false,
        filterBy: false,
        render: ({ item }) => (
          <Button variant="link" onClick={() => navigate(`webhooks/${item.id}`)}>
            {item.name}
          </Button>
        ),
      },
      {
        id: 'destination',
        label: __('Destination', 'fluent-community-webhooks'),
        enableSorting: false,
        filterBy: false,
        render: ({ item }) => (
          <span title={item.url}>
            <strong className="fcwh-format" data-format={item.format ?? 'json'}>
              <FormatIcon format={item.format} />
              {formatLabel(item.format ?? 'json', true)}
            </strong>
            <br />
            <code>{hostOf(item.url)}</code>
          </span>
        ),
      },
      {
        id: 'status',
        label: __('Status', 'fluent-community-webhooks'),
        enableSorting: false,
        elements: statuses,
        filterBy: { operators: ['is'] },
        render: ({ item }) => statuses.find((s) => s.value === item.status)?.label ?? item.status,
      },
      {
        id: 'events',
        label: __('Events', 'fluent-community-webhooks'),
        enableSorting: false,
        elements: [
          { value: '*', label: __('All events (*)', 'fluent-community-webhooks') },
          ...(catalogue ?? []).map((e) => ({ value: e.name, label: e.name })),
        ],
        filterBy: { operators: ['is'] },
        getValue: ({ item }) => item.events.join(', '),
        render: ({ item }) => item.events.join(', '),
      },
      {
        id: 'last_triggered_at',
        label: __('Last delivery', 'fluent-community-webhooks'),
        enableSorting: false,
        filterBy: false,
        // The latest attempt's status (a failure's too), then when the webhook last delivered.
        render: ({ item }) => (
          <>
            {item.last_status_code !== null && item.last_status_code !== undefined && (
              <span className="fcwh-last-status">
                {
                  /* translators: %d: HTTP status code, e.g. 200. */
                  sprintf(__('HTTP %d', 'fluent-community-webhooks'), item.last_status_code)
                }{' '}
              </span>
            )}
            <TimeAgo value={item.last_triggered_at} />
          </>
        ),
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

  const bulk = (label, apply) => async (items) => {
    const outcomes = await Promise.allSettled(items.map(apply));
    const failed = outcomes.filter((o) => o.status === 'rejected');
    setNotice(
      failed.length
        ? { status: 'error', text: `${label}: ${errorMessage(failed[0].reason)}` }
        : {
            status: 'success',
            text: sprintf(
              _n('%1$s: %2$d webhook.', '%1$s: %2$d webhooks.', items.length, 'fluent-community-webhooks'),
              label,
              items.length,
            ),
          },
    );
    load();
  };

  const actions = [
    {
      id: 'edit',
      label: __('Edit', 'fluent-community-webhooks'),
      isPrimary: true,
      callback: ([item]) => navigate(`webhooks/${item.id}`),
    },
    {
      id: 'deliveries',
      label: __('Deliveries', 'fluent-community-webhooks'),
      callback: ([item]) => navigate(`webhooks/${item.id}/deliveries`),
    },
    {
      id: 'test',
      label: __('Send test', 'fluent-community-webhooks'),
      RenderModal: ({ items }) => <TestButton webhookId={items[0].id} autoStart />,
    },
    {
      id: 'activate',
      label: __('Activate', 'fluent-community-webhooks'),
      supportsBulk: true,
      isEligible: (item) => item.status !== 'active',
      callback: bulk(__('Activated', 'fluent-community-webhooks'), (item) =>
        updateWebhook(item.id, { status: 'active' }),
      ),
    },
    {
      id: 'deactivate',
      label: __('Deactivate', 'fluent-community-webhooks'),
      supportsBulk: true,
      isEligible: (item) => item.status === 'active',
      callback: bulk(__('Deactivated', 'fluent-community-webhooks'), (item) =>
        updateWebhook(item.id, { status: 'inactive' }),
      ),
    },
    {
      id: 'delete',
      label: __('Delete', 'fluent-community-webhooks'),
      isDestructive: true,
      supportsBulk: true,
      RenderModal: ({ items, closeModal }) => (
        <ConfirmDelete
          items={items}
          onCancel={closeModal}
          onConfirm={async () => {
            closeModal();
            await bulk(__('Deleted', 'fluent-community-webhooks'), (item) => deleteWebhook(item.id))(items);
          }}
        />
      ),
    },
  ];

  return (
    <div className="fcwh-section fcwh-webhook-list">
      {notice && (
        <Notice status={notice.status} onRemove={() => setNotice(null)}>
          {notice.text}
        </Notice>
      )}
      {error && !isSidecarDown(error) && (
        <Notice status="error" isDismissible={false}>
          {sprintf(
            __('The webhooks could not be loaded: %s', 'fluent-community-webhooks'),
            errorMessage(error),
          )}
        </Notice>
      )}
      {error && isSidecarDown(error) && (
        <Notice status="warning" isDismissible={false}>
          {__(
            'The webhooks could not be loaded while the service is unreachable.',
            'fluent-community-webhooks',
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
        searchLabel={__('Search webhooks', 'fluent-community-webhooks')}
        empty={<p>{error ? '—' : __('No webhooks yet.', 'fluent-community-webhooks')}</p>}
      />
    </div>
  );
}

function ConfirmDelete({ items, onCancel, onConfirm }) {
  return (
    <div>
      <p>
        {sprintf(
          _n(
            'Delete webhook "%s"? This cannot be undone.',
            'Delete %d webhooks? This cannot be undone.',
            items.length,
            'fluent-community-webhooks',
          ),
          items.length === 1 ? items[0].name : items.length,
        )}
      </p>
      <Button variant="tertiary" onClick={onCancel}>
        {__('Cancel', 'fluent-community-webhooks')}
      </Button>{' '}
      <Button variant="primary" isDestructive onClick={onConfirm}>
        {__('Delete', 'fluent-community-webhooks')}
      </Button>
    </div>
  );
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
