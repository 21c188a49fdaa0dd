/**
 * The one module that talks to the REST API: the plugin's own namespace, WordPress's cookie + REST nonce (set up
 * in index.js), route paths from the contracts in shared/.
 */
import apiFetch from '@wordpress/api-fetch';

/* global FCWH_CONTRACTS */
// shared/routes.ts's route table (method and path per route name), put in by the build: see webpack.config.js.
const { ownRestNamespace, routes } = FCWH_CONTRACTS;

/**
 * The WordPress path of a contract route with its `:params` filled in, plus an optional query string.
 *
 * @param {keyof typeof routes} name   Route name in shared/routes.ts.
 * @param {Object}              params Path parameters, e.g. `{ id: 3 }`.
 * @param {Object}              query  Query parameters; empty values are left out.
 */
export function routePath(name, params = {}, query = {}) {
  const path = routes[name].path.replace(/:(\w+)/g, (_, key) => encodeURIComponent(String(params[key])));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return `/${ownRestNamespace}${path}${qs ? `?${qs}` : ''}`;
}

function call(name, { params, query, data } = {}) {
  return apiFetch({ path: routePath(name, params, query), method: routes[name].method, data });
}

/** A page of a list route: its items and the totals from X-WP-Total / X-WP-TotalPages. */
async function page(name, key, params, query) {
  let response;
  try {
    response = await apiFetch({ path: routePath(name, params, query), parse: false });
  } catch (failure) {
    // Unparsed, api-fetch rejects with the Response itself: turn it into the API's {code, message, data}.
    throw typeof failure?.json === 'function' ? await errorOf(failure) : failure;
  }
  const body = await response.json();
  return {
    items: body[key],
    totalItems: Number(response.headers.get('X-WP-Total') ?? body[key].length),
    totalPages: Number(response.headers.get('X-WP-TotalPages') ?? 1),
  };
}

async function errorOf(response) {
  const body = await response.json().catch(() => null);
  return body?.code
    ? body
    : { code: 'invalid_json', message: `HTTP ${response.status}`, data: { status: response.status } };
}

export const listWebhooks = (query) => page('listWebhooks', 'webhooks', {}, query);
export const getWebhook = (id) => call('getWebhook', { params: { id } });
export const createWebhook = (data) => call('createWebhook', { data });
export const updateWebhook = (id, data) => call('updateWebhook', { params: { id }, data });
export const deleteWebhook = (id) => call('deleteWebhook', { params: { id } });
export const testWebhook = (id) => call('testWebhook', { params: { id } });
export const rotateSecret = (id) => call('rotateSecret', { params: { id } });
export const listEvents = () => call('listEvents');
export const listDeliveries = (id, query) => page('listDeliveries', 'deliveries', { id }, query);
export const getDelivery = (id, deliveryId) =>
  call('getDelivery', { params: { id, delivery_id: deliveryId } });
export const redeliver = (id, deliveryId) => call('redeliver', { params: { id, delivery_id: deliveryId } });
export const previewFormat = (data) => call('previewFormat', { data });
export const previewWebhook = (id, data) => call('previewWebhook', { params: { id }, data });
export const replay = (id, data) => call('replay', { params: { id }, data });

let accepted;
/**
 * The body fields the create route accepts, read from WordPress's own route description (OPTIONS lists each
 * route's args, which the plugin registers from the contracts). Fields that other versions of the API add, such as
 * `format`, are sent only when this lists them: the screen then needs no change when the API grows.
 *
 * @return {Promise<Set<string>>} Field names; empty when the description cannot be read.
 */
export function acceptedFields() {
  accepted ??= apiFetch({ path: routePath('createWebhook'), method: 'OPTIONS' }).then(
    (answer) => {
      const endpoint = (answer?.endpoints ?? []).find((e) => e.methods?.includes('POST'));
      return new Set(Object.keys(endpoint?.args ?? {}));
    },
    () => new Set(),
  );
  return accepted;
}

/** True for the answer WordPress gives when the sidecar cannot be reached or is not configured. */
export function isSidecarDown(error) {
  return error?.code === 'sidecar_unavailable' || error?.code === 'not_ready';
}

/** The message to show for a failed call (api-fetch rejects with the API's `{code, message, data}`). */
export function errorMessage(error) {
  return error?.message || String(error);
}

/** `data.params` of an API error: field name → message. */
export function fieldErrors(error) {
  const params = error?.data?.params;
  return params && typeof params === 'object' ? params : {};
}
