import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../admin/src/detect-format.ts';
import { detectFormat as apiDetectFormat } from '../../shared/destinations.ts';

describe('detectFormat', () => {
  it.each([
    ['https://hooks.slack.com/services/T000/B000/XXXX', 'slack'],
    ['https://discord.com/api/webhooks/123/abc', 'discord'],
    ['https://discordapp.com/api/webhooks/123/abc', 'discord'],
    ['https://ptb.discord.com/api/webhooks/123/abc', 'discord'],
    ['https://canary.discord.com/api/v10/webhooks/123/abc', 'discord'],
    ['https://api.sendgrid.com/v3/mail/send', 'sendgrid'],
  ])('reads %s as %s', (url, format) => {
    expect(detectFormat(url)).toBe(format);
  });

  it.each([
    'https://example.com/hooks',
    'https://hooks.slack.com/workflows/T000/xyz',
    'https://discord.com/channels/1/2',
    'https://evil.discord.com.example.net/api/webhooks/1/a',
    'https://notdiscord.com/api/webhooks/1/a',
    'https://api.sendgrid.com/v3/marketing/contacts',
    'http://hooks.slack.com/services/T000/B000/XXXX',
    'not a url',
    '',
  ])('reads %s as plain JSON', (url) => {
    expect(detectFormat(url)).toBe('json');
  });

  // The screen shows what the API will choose (the API refuses http URLs, which the screen reads as JSON).
  it.each([
    'https://hooks.slack.com/services/T000/B000/XXXX',
    'https://HOOKS.SLACK.COM/services/T000/B000/XXXX',
    'https://hooks.slack.com./services/T000/B000/XXXX',
    'https://discord.com/api/webhooks/123/abc',
    'https://canary.discordapp.com/api/v10/webhooks/123/abc',
    'https://api.sendgrid.com/v3/mail/send/',
    'https://hooks.slack.com/workflows/T000/xyz',
    'https://evil.discord.com.example.net/api/webhooks/1/a',
    'https://example.com/hooks',
    'not a url',
  ])('agrees with the API on %s', (url) => {
    expect(detectFormat(url)).toBe(apiDetectFormat(url));
  });
});
