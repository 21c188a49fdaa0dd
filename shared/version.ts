/** The product version, sent in the User-Agent and shown by the plugin. */
export const version = '0.1.0';
export const userAgent = `FluentCommunityWebhooks/${version}`;
