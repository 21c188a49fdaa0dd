/** What the demo prints once it is up: where everything is and ready-to-paste curl commands. */
import { restNamespace, routes } from '../../shared/routes.ts';
import type { DemoStackInfo } from './demo-stack.ts';

/** A spec route's URL on the demo site, `:id` replaced by `id`. */
function routeUrl(info: DemoStackInfo, path: string, id = '1'): string {
  return `${info.rest_url}${restNamespace}${path.replace(':id', id)}`;
}

/** The guide text for `info`; `extraPlugins` are listed so nothing is installed silently. */
export function demoGuide(info: DemoStackInfo, extraPlugins: readonly string[]): string {
  const admin = `-u '${info.admin.user}:${info.admin.app_password}'`;
  const member = `-u '${info.member.user}:${info.member.app_password}'`;
  const body = JSON.stringify({
    name: 'Demo receiver',
    url: `${info.receiver_url}/demo`,
    events: ['feed.created'],
  });
  const json = `-H 'content-type: application/json'`;
  return [
    'Fluent Community Webhooks demo is up.',
    `  WordPress   ${info.wp_url}   (REST root ${info.rest_url})`,
    `  screen      ${info.wp_url}/wp-admin/admin.php?page=fluent-community-webhooks   (log in: ${info.admin.user} / ${info.admin.password})`,
    `  sidecar     ${info.sidecar_url}`,
    `  receiver    ${info.receiver_url}   (HTTPS, local CA .demo/tls/ca.pem; requests in .demo/received.jsonl)`,
    `  MariaDB     ${info.db.host}:${info.db.port}  db ${info.db.name}  user ${info.db.user}  password ${info.db.password}`,
    `  plugins     fluent-community-webhooks${extraPlugins.map((dir) => `, ${dir}`).join('')}`,
    '              (test/wp-plugins/* are added unless DEMO_TEST_PLUGINS=0; more with DEMO_EXTRA_PLUGINS=dir1:dir2)',
    '  all of it:  .demo/stack.json',
    '',
    '# List webhooks (admin):',
    `curl -s ${admin} ${routeUrl(info, routes.listWebhooks.path)}`,
    '# Create one that posts feed.created to the demo receiver:',
    `curl -s ${admin} ${json} -X POST -d '${body}' ${routeUrl(info, routes.createWebhook.path)}`,
    '# Send it a signed test payload, then look at what arrived:',
    `curl -s ${admin} -X POST ${routeUrl(info, routes.testWebhook.path)}`,
    'tail -n 1 .demo/received.jsonl',
    '# Its deliveries:',
    `curl -s ${admin} ${routeUrl(info, routes.listDeliveries.path)}`,
    '# A member is refused (403):',
    `curl -s ${member} ${routeUrl(info, routes.listWebhooks.path)}`,
    '',
  ].join('\n');
}
