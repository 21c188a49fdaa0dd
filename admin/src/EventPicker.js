/** The events a webhook subscribes to: "all events", or events grouped as in the catalogue, with descriptions. */
import { CheckboxControl, Notice, Spinner } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { groupEvents, useCatalogue } from './catalogue';

export default function EventPicker({ value, onChange }) {
  const { events, error } = useCatalogue();
  const all = value.includes('*');
  const toggle = (name, on) => onChange(on ? [...value, name] : value.filter((v) => v !== name));
  if (error) {
    return (
      <Notice status="error" isDismissible={false}>
        {sprintf(
          __('The event catalogue could not be loaded: %s', 'fluent-community-webhooks'),
          error.message,
        )}
      </Notice>
    );
  }
  if (!events) return <Spinner />;
  return (
    <div className="fcwh-event-picker">
      <CheckboxControl
        __nextHasNoMarginBottom
        label={__('All events (*), including events added later', 'fluent-community-webhooks')}
        checked={all}
        onChange={(on) => toggle('*', on)}
      />
      {groupEvents(events).map(([group, list]) => (
        <div key={group} className="fcwh-event-group">
          <h4>{group}</h4>
          <div className="fcwh-event-grid">
            {list.map((event) => (
              <CheckboxControl
                __nextHasNoMarginBottom
                key={event.name}
                label={event.name}
                help={event.description}
                checked={all || value.includes(event.name)}
                disabled={all}
                onChange={(on) => toggle(event.name, on)}
              />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
