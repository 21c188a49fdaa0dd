/**
 * Which view the screen shows, kept in the URL's hash (#/new, #/webhooks/3, #/webhooks/3/deliveries, #/events) so
 * that the browser's back button and reloads work. Five routes do not justify a router library.
 */
import { useSyncExternalStore } from '@wordpress/element';

function parse(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'new') return { view: 'new' };
  if (parts[0] === 'events') return { view: 'events' };
  if (parts[0] === 'webhooks' && /^\d+$/.test(parts[1] ?? '')) {
    return { view: parts[2] === 'deliveries' ? 'deliveries' : 'edit', id: Number(parts[1]) };
  }
  return { view: 'list' };
}

const subscribe = (listener) => {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
};

export function useRoute() {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parse(hash);
}

/** Shows another view: `''` (list), `'new'`, `'events'`, `'webhooks/3'`, `'webhooks/3/deliveries'`. */
export function navigate(to) {
  window.location.hash = `#/${to}`;
}
