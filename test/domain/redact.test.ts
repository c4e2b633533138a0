import { describe, expect, it } from 'vitest';
import { createRedactor, NO_SECRETS, REDACTED, urlSecrets } from '../../src/domain/redact.js';

const KEY = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789';

describe('the redactor built once from the credentials', () => {
  it('hides every occurrence of each secret, the longest first so a secret holding another goes whole', () => {
    const r = createRedactor([KEY, 'abcdef', null, undefined, '', KEY]);
    expect(r.size).toBe(2);
    expect(r.redact(`key ${KEY}, again ${KEY}; part abcdef`)).toBe(`key ${REDACTED}, again ${REDACTED}; part ${REDACTED}`);
    const nested = createRedactor(['abcd', 'xxabcdxx']);
    expect(nested.redact('xxabcdxx and abcd')).toBe(`${REDACTED} and ${REDACTED}`);
  });

  it('leaves text without a secret as it is: the same string, and key-shaped words kept in conversation data', () => {
    const r = createRedactor([KEY]);
    const text = 'Anthropic keys look like sk-ant-xxxx; send them as Bearer tokens.';
    expect(r.redact(text)).toBe(text);
    expect(NO_SECRETS.redact(text)).toBe(text);
    expect(NO_SECRETS.size).toBe(0);
  });

  it('scrubs text for logs and errors: the secrets, and anything shaped like a key (sk-…, Bearer …) whoever’s it is', () => {
    const r = createRedactor(['my-own-token-1234']);
    expect(r.scrub('token my-own-token-1234 and sk-ant-other-5678 and Bearer abc.def')).toBe(
      `token ${REDACTED} and ${REDACTED} and ${REDACTED}`,
    );
    expect(NO_SECRETS.scrub('upstream rejected sk-ant-xyz0')).toBe(`upstream rejected ${REDACTED}`);
    expect(NO_SECRETS.scrub('sk-12 is too short to be a key')).toBe('sk-12 is too short to be a key');
  });

  it('a secret shorter than 4 characters is hidden in saved data but not in log text (it would blank ordinary words)', () => {
    const r = createRedactor(['abc']);
    expect(r.size).toBe(1);
    expect(r.redact('abcde')).toBe(`${REDACTED}de`);
    expect(r.scrub('abcde')).toBe('abcde');
  });

  it('stringify hides secrets in every string value, whatever characters they hold, and stays valid JSON', () => {
    const odd = 'se"cr\\et\nkey';
    const r = createRedactor([odd, KEY]);
    const value = { title: KEY, list: [`a ${odd} b`, 7, null, { deep: KEY }], n: 1.5 };
    const json = r.stringify(value, 2);
    expect(json).not.toContain(JSON.stringify(odd).slice(1, -1));
    expect(json).not.toContain(KEY.slice(10, 30));
    expect(JSON.parse(json)).toEqual({ title: REDACTED, list: [`a ${REDACTED} b`, 7, null, { deep: REDACTED }], n: 1.5 });
    expect(NO_SECRETS.stringify(value, 2)).toBe(JSON.stringify(value, null, 2));
  });
});

describe('URL credentials (a base URL with user:pass@ or ?token=)', () => {
  it('scrub hides the user:pass@ part and credential-named query values, keeping the rest of the URL', () => {
    expect(NO_SECRETS.scrub('POST http://alice:s3cretpw@proxy.example:8080/v1/messages failed')).toBe(
      `POST http://${REDACTED}@proxy.example:8080/v1/messages failed`,
    );
    expect(NO_SECRETS.scrub('https://gw.example/v1?token=tok123&region=eu&api_key=k9&x-sig=abc')).toBe(
      `https://gw.example/v1?token=${REDACTED}&region=eu&api_key=${REDACTED}&x-sig=${REDACTED}`,
    );
    // Inside a JSON line (the debug log) it stays valid JSON.
    const line = JSON.stringify({ baseURL: 'http://u:p@h/?access_token=zz"q' });
    expect(JSON.parse(NO_SECRETS.scrub(line))).toEqual({ baseURL: `http://${REDACTED}@h/?access_token=${REDACTED}"q` });
    expect(NO_SECRETS.scrub('mail me at bob@example.com, a=b&c=d')).toBe('mail me at bob@example.com, a=b&c=d');
  });

  it('urlSecrets: the password, user and credential query values, so session data hides them too', () => {
    expect(urlSecrets('http://alice:s3cret%21pw@h/?token=t0k&q=1')).toEqual(
      expect.arrayContaining(['s3cret%21pw', 's3cret!pw', 'alice', 't0k']),
    );
    expect(urlSecrets('http://h/?q=1')).toEqual([]);
    expect(urlSecrets('not a url')).toEqual([]);
    expect(urlSecrets(null)).toEqual([]);
    expect(createRedactor(urlSecrets('http://h/?token=t0k3n')).redact('echo t0k3n')).toBe(`echo ${REDACTED}`);
  });
});
