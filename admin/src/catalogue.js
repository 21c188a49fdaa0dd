/** The event catalogue, read once per page load and shared by the list, the form and the deliveries. */
import { useEffect, useState } from '@wordpress/element';
import { listEvents } from './api';

let loading;

/** `{ events, error }`: `events` is null until loaded (and when loading failed, then `error` says why). */
export function useCatalogue() {
  const [state, setState] = useState({ events: null, error: null });
  useEffect(() => {
    loading ??= listEvents().then((answer) => answer.events);
    let live = true;
    loading.then(
      (events) => live && setState({ events, error: null }),
      (error) => {
        loading = undefined;
        if (live) setState({ events: null, error });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** Events grouped as the catalogue groups them, in catalogue order: `[[group, [event, ...]], ...]`. */
export function groupEvents(events) {
  const groups = new Map();
  for (const event of events) {
    if (!groups.has(event.group)) groups.set(event.group, []);
    groups.get(event.group).push(event);
  }
  return [...groups.entries()];
}
