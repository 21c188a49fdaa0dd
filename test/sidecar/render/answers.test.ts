/** What Slack's, Discord's and SendGrid's documented error answers mean for a delivery. */
import { describe, expect, it } from 'vitest';
import { judgeAnswer, serviceOf } from '../../../sidecar/src/render/answers.ts';

describe('destination answers', () => {
  it('knows the service by URL first, else by format', () => {
    expect(serviceOf('https://hooks.slack.com/services/T/B/x', 'json')).toBe('slack');
    expect(serviceOf('https://127.0.0.1:8443/hook', 'discord')).toBe('discord');
    expect(serviceOf('https://example.com/hook', 'template')).toBeNull();
  });

  it("makes Slack's 400 no_text permanent, with the reason and a hint on the format", () => {
    expect(judgeAnswer('slack', 'json', 400, 'no_text')).toEqual({
      permanent: true,
      disable: false,
      error: 'Slack refused the message (no_text): is the format set to slack?',
    });
    expect(judgeAnswer('slack', 'slack', 400, 'invalid_payload')?.error).toContain('(invalid_payload)');
    expect(judgeAnswer('slack', 'json', 400, 'missing_text_or_fallback_or_attachments')?.permanent).toBe(
      true,
    );
  });

  it("makes Slack's 403, 404 and 410 permanent, and only the archived channel disables", () => {
    expect(judgeAnswer('slack', 'slack', 403, 'action_prohibited')).toMatchObject({
      permanent: true,
      disable: false,
    });
    expect(judgeAnswer('slack', 'slack', 404, 'channel_not_found')).toMatchObject({
      permanent: true,
      disable: false,
    });
    expect(judgeAnswer('slack', 'slack', 410, 'channel_is_archived')).toMatchObject({
      permanent: true,
      disable: true,
    });
    expect(judgeAnswer('slack', 'slack', 500, 'rollup_error')).toBeNull();
    expect(judgeAnswer('slack', 'slack', 429, '')).toBeNull(); // Retry-After, as for any receiver
  });

  it("reads Discord's JSON reasons; 400/401/403 permanent, 404 disables", () => {
    const empty = judgeAnswer(
      'discord',
      'json',
      400,
      '{"message": "Cannot send an empty message", "code": 50006}',
    );
    expect(empty).toEqual({
      permanent: true,
      disable: false,
      error:
        'Discord refused the message (50006 Cannot send an empty message): is the format set to discord?',
    });
    expect(
      judgeAnswer('discord', 'discord', 401, '{"message": "Invalid Webhook Token", "code": 50027}'),
    ).toMatchObject({
      permanent: true,
      disable: false,
    });
    expect(
      judgeAnswer('discord', 'discord', 403, '{"message": "Missing Access", "code": 50001}')?.permanent,
    ).toBe(true);
    const gone = judgeAnswer('discord', 'discord', 404, '{"message": "Unknown Webhook", "code": 10015}');
    expect(gone).toMatchObject({ permanent: true, disable: true });
    expect(gone?.error).toContain('10015 Unknown Webhook');
  });

  it("takes Discord's 429 retry_after in float seconds from the body", () => {
    const limited = judgeAnswer(
      'discord',
      'discord',
      429,
      '{"message": "You are being rate limited.", "retry_after": 0.64, "global": false}',
    );
    expect(limited).toMatchObject({ permanent: false, disable: false, retryAfterSeconds: 0.64 });
    expect(judgeAnswer('discord', 'discord', 429, 'not json')).toBeNull();
  });

  it("makes SendGrid's 400, 401 and 403 permanent with its first error", () => {
    const v = judgeAnswer(
      'sendgrid',
      'json',
      400,
      '{"errors":[{"message":"You must have at least one personalization.","field":"personalizations","help":null}]}',
    );
    expect(v?.error).toBe(
      'SendGrid refused the mail (400 You must have at least one personalization. (personalizations)): is the format set to sendgrid?',
    );
    expect(
      judgeAnswer(
        'sendgrid',
        'sendgrid',
        401,
        '{"errors":[{"message":"The provided authorization grant is invalid"}]}',
      )?.permanent,
    ).toBe(true);
    expect(judgeAnswer(null, 'json', 400, 'no_text')).toBeNull();
  });
});
