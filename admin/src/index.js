/** Mounts the Webhooks screen: api-fetch set up with the REST root and nonce that PHP prints, then <App>. */
import apiFetch from '@wordpress/api-fetch';
import { createRoot } from '@wordpress/element';
import '@wordpress/components/build-style/style.css';
import '@wordpress/dataviews/build-style/style.css';
import './style.css';
import App from './App';

const settings = window.fcwhAdmin;
apiFetch.use(apiFetch.createRootURLMiddleware(settings.restRoot));
apiFetch.use(apiFetch.createNonceMiddleware(settings.nonce));

const root = document.getElementById('fcwh-admin-root');
if (root) createRoot(root).render(<App />);
