import { describe, expect, it } from 'vitest';
import {
  accountExistsMessage,
  accountLockedMessage,
  certificateExpiringMessage,
  contractRejectedMessage,
  contractVerifiedMessage,
  merchantNumberClaimedMessage,
  verifyEmailMessage,
} from '@/lib/mail/templates';

const hostile = {
  name: '<script>alert("owner")</script>',
  storeName: `Tom & Jerry's "<b>Café</b>"`,
};

describe('verifyEmailMessage', () => {
  const verifyUrl = 'https://pos.example.com/verify-email?token=abc_DEF-123&utm=x';
  const email = verifyEmailMessage({ ...hostile, verifyUrl, expiresInHours: 24 });

  it('escapes every user value in the HTML part', () => {
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>Café</b>');
    expect(email.html).toContain('&#60;script&#62;alert(&#34;owner&#34;)&#60;/script&#62;');
    expect(email.html).toContain('Tom &#38; Jerry&#39;s &#34;&#60;b&#62;Café&#60;/b&#62;&#34;');
  });

  it('carries the link in the text part as it is, and in the HTML part as an escaped href', () => {
    expect(email.text).toContain(`Confirm: ${verifyUrl}\n`);
    expect(email.html).toContain('href="https://pos.example.com/verify-email?token=abc_DEF-123&#38;utm=x"');
  });

  it('keeps the text part plain: user values unescaped, no markup', () => {
    expect(email.text).toContain(`Hello ${hostile.name},`);
    expect(email.text).toContain(hostile.storeName);
    expect(email.text).toContain('expires in 24 hours');
    expect(email.subject).toBe('Confirm your e-mail address for ServerPOS');
  });

  it('cannot be broken out of the href by a quote in the URL', () => {
    const tricky = verifyEmailMessage({ name: 'A', storeName: 'B', verifyUrl: 'https://x.example/"><img src=x onerror=alert(1)>', expiresInHours: 1 });
    expect(tricky.html).not.toContain('"><img');
    expect(tricky.html).toContain('href="https://x.example/&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"');
  });
});

describe('accountExistsMessage', () => {
  it('points to the login page in both parts', () => {
    const email = accountExistsMessage({ loginUrl: 'https://pos.example.com/login' });
    expect(email.text).toContain('Sign in: https://pos.example.com/login\n');
    expect(email.html).toContain('href="https://pos.example.com/login"');
    expect(email.subject).toBe('You already have a ServerPOS account');
  });
});

describe('accountLockedMessage', () => {
  it('says how long the lock lasts', () => {
    const email = accountLockedMessage({ lockedMinutes: 30 });
    expect(email.subject).toBe('Your ServerPOS account was locked');
    expect(email.text).toContain('locked for 30 minutes');
    expect(email.html).toContain('locked for 30 minutes');
    expect(email.html).not.toContain('href=');
  });
});

describe('certificateExpiringMessage', () => {
  const email = certificateExpiringMessage({
    storeName: hostile.storeName,
    posName: '<i>Front</i>',
    acquirerName: 'Card & Co',
    acquirerCode: 'ACQ-CARD',
    usage: 'KEY_EXCHANGE',
    serialNumber: '0a1b2c',
    notAfter: new Date('2030-05-06T07:08:09Z'),
    thresholdDays: 1,
    certificatesUrl: 'https://pos.example.com/console/stores/s-1/certificates',
  });

  it('names the certificate and links to the certificates page in both parts', () => {
    expect(email.subject).toBe('Certificate expires within 1 day: <i>Front</i> · Card & Co');
    expect(email.text).toContain('Usage: key exchange');
    expect(email.text).toContain('Valid until: 2030-05-06 07:08 UTC');
    expect(email.text).toContain('Renew: https://pos.example.com/console/stores/s-1/certificates\n');
    expect(email.html).toContain('href="https://pos.example.com/console/stores/s-1/certificates"');
  });

  it('escapes the store, POS and acquirer names in the HTML part', () => {
    expect(email.html).not.toContain('<i>Front</i>');
    expect(email.html).toContain('&#60;i&#62;Front&#60;/i&#62;');
    expect(email.html).toContain('Card &#38; Co (ACQ-CARD)');
    expect(email.html).not.toContain('<b>Café</b>');
  });
});

describe('contractVerifiedMessage', () => {
  const email = contractVerifiedMessage({
    storeName: hostile.storeName,
    acquirerName: 'Card & Co',
    merchantNumber: 'M-0001',
    acquisitionNumber: 'ABCDE-12345-FGHIJ-67890',
    certificatesUrl: 'https://pos.example.com/console/stores/s1/certificates',
  });

  it('gives the one-time acquisition number and says where to enter it, in both parts', () => {
    for (const part of [email.text, email.html]) {
      expect(part).toContain('ABCDE-12345-FGHIJ-67890');
      expect(part).toContain('M-0001');
      expect(part).toContain('Enter it when you register your POS for this acquirer under Certificates');
    }
    expect(email.text).toContain('Certificates: https://pos.example.com/console/stores/s1/certificates\n');
    expect(email.subject).toBe('Card & Co verified your store: your certificate acquisition number');
  });

  it('escapes the store and acquirer names in the HTML part', () => {
    expect(email.html).not.toContain('<b>Café</b>');
    expect(email.html).toContain('Card &#38; Co');
  });
});

describe('contractRejectedMessage', () => {
  it('gives the reason and where to apply again, escaped in the HTML part', () => {
    const email = contractRejectedMessage({ storeName: 'Tea', acquirerName: 'Fuji', merchantNumber: 'J-1', reason: 'Name <mismatch>', contractsUrl: 'https://pos.example.com/console/stores/s1/contracts' });
    expect(email.subject).toBe('Your application to Fuji could not be accepted');
    expect(email.text).toContain('Reason: Name <mismatch>');
    expect(email.html).toContain('Reason: Name &#60;mismatch&#62;');
    expect(email.text).toContain('Acquirers: https://pos.example.com/console/stores/s1/contracts\n');
  });
});

describe('merchantNumberClaimedMessage', () => {
  it('tells the holder which number was used where', () => {
    const email = merchantNumberClaimedMessage({ storeName: 'Tea', acquirerName: 'Fuji', merchantNumber: 'J-1' });
    expect(email.subject).toBe('Someone tried to enrol your merchant number at Fuji');
    expect(email.text).toContain('merchant number J-1 at Fuji');
  });
});
