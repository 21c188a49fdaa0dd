/** The screen: a title with its navigation, the sidecar notice, and the view the URL's hash names. */
import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { useRoute, navigate } from './route';
import SidecarNotice from './SidecarNotice';
import WebhookList from './WebhookList';
import WebhookForm from './WebhookForm';
import DeliveryList from './DeliveryList';
import EventCatalogue from './EventCatalogue';

export default function App() {
  const route = useRoute();
  return (
    <div className="fcwh-admin">
      <h1 className="wp-heading-inline">{__('Webhooks', 'fluent-community-webhooks')}</h1>{' '}
      <nav className="fcwh-nav" aria-label={__('Webhooks screen', 'fluent-community-webhooks')}>
        <Button variant="secondary" onClick={() => navigate('new')}>
          {__('Add webhook', 'fluent-community-webhooks')}
        </Button>{' '}
        <Button variant="tertiary" onClick={() => navigate('')} isPressed={route.view === 'list'}>
          {__('All webhooks', 'fluent-community-webhooks')}
        </Button>{' '}
        <Button variant="tertiary" onClick={() => navigate('events')} isPressed={route.view === 'events'}>
          {__('Events', 'fluent-community-webhooks')}
        </Button>
      </nav>
      <hr className="wp-header-end" />
      <SidecarNotice />
      {route.view === 'list' && <WebhookList />}
      {route.view === 'new' && <WebhookForm key="new" />}
      {route.view === 'edit' && <WebhookForm key={route.id} id={route.id} />}
      {route.view === 'deliveries' && <DeliveryList key={route.id} webhookId={route.id} />}
      {route.view === 'events' && <EventCatalogue />}
    </div>
  );
}
