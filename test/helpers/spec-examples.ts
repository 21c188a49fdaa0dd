/** The specification's "Common Use Cases" webhooks, verbatim, keyed by the format each URL implies. */
export const specUseCases = {
  slack: {
    name: 'Slack Notifications',
    url: 'https://hooks.slack.com/services/YOUR/WEBHOOK/URL',
    events: ['feed.created', 'comment.created', 'space.member_joined'],
    status: 'active',
  },
  discord: {
    name: 'Discord Notifications',
    url: 'https://discord.com/api/webhooks/YOUR/WEBHOOK/URL',
    events: ['feed.created', 'report.created'],
    status: 'active',
  },
  json: {
    name: 'Analytics Tracker',
    url: 'https://analytics.example.com/events',
    events: ['feed.created', 'comment.created', 'user.registered', 'course.enrolled'],
    headers: { 'X-API-Key': 'your-api-key' },
    status: 'active',
  },
  sendgrid: {
    name: 'Email Notifications',
    url: 'https://api.sendgrid.com/v3/mail/send',
    events: ['report.created', 'space.member_joined'],
    headers: { Authorization: 'Bearer YOUR_SENDGRID_API_KEY' },
    status: 'active',
  },
} as const;
