/** The event catalogue: every event by group, with its description, hooks, example payload and JSON Schema. */
import { Notice, Panel, PanelBody, Spinner } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { groupEvents, useCatalogue } from './catalogue';

export default function EventCatalogue() {
  const { events, error } = useCatalogue();
  if (error) {
    return (
      <div className="fcwh-section">
        <Notice status="error" isDismissible={false}>
          {sprintf(
            __('The event catalogue could not be loaded: %s', 'fluent-community-webhooks'),
            error.message,
          )}
        </Notice>
      </div>
    );
  }
  if (!events) return <Spinner />;
  return (
    <div className="fcwh-section fcwh-catalogue">
      <h2>{__('Events', 'fluent-community-webhooks')}</h2>
      {groupEvents(events).map(([group, list]) => (
        <Panel key={group} header={group}>
          {list.map((event) => (
            <PanelBody key={event.name} title={event.name} initialOpen={false}>
              <p>{event.description}</p>
              <p>
                {sprintf(
                  __('Fluent Community hooks: %s', 'fluent-community-webhooks'),
                  event.hooks.join(', '),
                )}
                {event.edition !== 'free' &&
                  ` · ${sprintf(__('Edition: %s', 'fluent-community-webhooks'), event.edition)}`}
              </p>
              <h4>{__('Example payload', 'fluent-community-webhooks')}</h4>
              <pre className="fcwh-code">{JSON.stringify(event.example, null, 2)}</pre>
              <h4>{__('JSON Schema', 'fluent-community-webhooks')}</h4>
              <pre className="fcwh-code">{JSON.stringify(event.schema, null, 2)}</pre>
            </PanelBody>
          ))}
        </Panel>
      ))}
    </div>
  );
}
