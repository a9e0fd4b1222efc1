import { request as httpRequest } from 'node:http';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageSummary, StoredMessage } from './mailbox';
import { startMailServer, type RunningMailServer } from './mail-server';

let server: RunningMailServer;
let reportedErrors: string[];

beforeEach(async () => {
  reportedErrors = [];
  server = await startMailServer({ smtpPort: 0, httpPort: 0, reportError: (message) => reportedErrors.push(message) });
});

afterEach(async () => {
  await server.stop();
});

/** Resolves once the port could be listened on (and closed again), rejects with EADDRINUSE otherwise. */
async function bindAndRelease(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** Sends through nodemailer over real SMTP, the way the worker does. */
async function send(target: RunningMailServer, message: nodemailer.SendMailOptions) {
  const transport = nodemailer.createTransport(target.smtpUrl);
  try {
    return await transport.sendMail({ from: 'ServerPOS <no-reply@serverpos.localhost>', ...message });
  } finally {
    transport.close();
  }
}

async function listMessages(query = ''): Promise<MessageSummary[]> {
  const response = await fetch(`${server.httpUrl}api/messages${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: MessageSummary[] }).messages;
}

async function getMessage(id: string): Promise<StoredMessage> {
  const response = await fetch(`${server.httpUrl}api/messages/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as StoredMessage;
}

const hostileHtml = '<p>Hello <a href="https://pos.example/verify?token=abc&amp;x=1">confirm</a></p><script>parent.document.title = "owned"</script>';

describe('startMailServer', () => {
  it('listens on the ports it reports and builds its URLs from them', () => {
    expect(server.smtpPort).toBeGreaterThan(0);
    expect(server.httpPort).toBeGreaterThan(0);
    expect(server.smtpUrl).toBe(`smtp://127.0.0.1:${server.smtpPort}`);
    expect(server.httpUrl).toBe(`http://127.0.0.1:${server.httpPort}/`);
  });

  it('receives a message over SMTP and serves its summary and its parts over HTTP', async () => {
    const before = Date.now();
    const info = await send(server, {
      to: 'Ann Owner <ann@shop.test>',
      cc: 'bo@shop.test',
      bcc: 'audit@shop.test',
      subject: 'Confirm your e-mail — Grüße',
      text: 'Hello Ann,\n\nConfirm: https://pos.example/verify?token=abc&x=1\n',
      html: hostileHtml,
      messageId: '<outbox-42@serverpos>',
      headers: { 'X-Outbox-Id': 'outbox-42' },
    });
    expect(info.accepted).toEqual(['ann@shop.test', 'bo@shop.test', 'audit@shop.test']);

    const messages = await listMessages();
    expect(messages).toHaveLength(1);
    const [summary] = messages;
    expect(summary).toEqual({
      id: expect.any(String),
      receivedAt: expect.any(String),
      from: '"ServerPOS" <no-reply@serverpos.localhost>',
      // The envelope, so the Bcc recipient is listed too.
      to: ['ann@shop.test', 'bo@shop.test', 'audit@shop.test'],
      subject: 'Confirm your e-mail — Grüße',
      messageId: '<outbox-42@serverpos>',
    });
    const receivedAt = Date.parse(summary!.receivedAt);
    expect(receivedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(receivedAt).toBeLessThanOrEqual(Date.now());

    const message = await getMessage(summary!.id);
    expect(message).toMatchObject(summary!);
    expect(message.text).toBe('Hello Ann,\n\nConfirm: https://pos.example/verify?token=abc&x=1\n');
    // The API hands the HTML part over untouched; only the inbox page has to make it safe.
    expect(message.html).toBe(hostileHtml);
    expect(message.headers['subject']).toBe('Confirm your e-mail — Grüße');
    expect(message.headers['message-id']).toBe('<outbox-42@serverpos>');
    expect(message.headers['x-outbox-id']).toBe('outbox-42');
    expect(message.headers['to']).toBe('"Ann Owner" <ann@shop.test>');
    expect(message.headers['bcc']).toBeUndefined();
    for (const value of Object.values(message.headers)) expect(typeof value).toBe('string');
  });

  it('gives html null for a text-only message and lists newest first', async () => {
    await send(server, { to: 'ann@shop.test', subject: 'first', text: 'one' });
    await send(server, { to: 'ann@shop.test', subject: 'second', text: 'two' });

    const messages = await listMessages();
    expect(messages.map((message) => message.subject)).toEqual(['second', 'first']);
    const first = await getMessage(messages[1]!.id);
    expect(first.text.trim()).toBe('one');
    expect(first.html).toBeNull();
  });

  it('filters by recipient: exact address, any case, Bcc included', async () => {
    await send(server, { to: 'ann@shop.test', bcc: 'audit@shop.test', subject: 'for ann' });
    await send(server, { to: 'bo@shop.test', subject: 'for bo' });
    await send(server, { to: 'joann@shop.test', subject: 'for joann' });
    await send(server, { to: 'Cy.Owner@Shop.Test', subject: 'for cy' });

    const subjects = async (query: string) => (await listMessages(query)).map((message) => message.subject);
    expect(await subjects(`?to=${encodeURIComponent('ANN@Shop.Test')}`)).toEqual(['for ann']);
    expect(await subjects(`?to=${encodeURIComponent('audit@shop.test')}`)).toEqual(['for ann']);
    expect(await subjects(`?to=${encodeURIComponent('bo@shop.test')}`)).toEqual(['for bo']);
    // Exact match: neither a part of an address nor a domain matches.
    expect(await subjects('?to=shop.test')).toEqual([]);
    expect(await subjects(`?to=${encodeURIComponent('ann@shop')}`)).toEqual([]);
    expect(await subjects(`?to=${encodeURIComponent('cy.owner@shop.test')}`)).toEqual(['for cy']);
    expect(await subjects('?to=')).toEqual(['for cy', 'for joann', 'for bo', 'for ann']);
  });

  it('refuses a message over the size limit with 552 and keeps nothing of it', async () => {
    const oversize = 'x'.repeat(76) + '\r\n';
    const text = oversize.repeat(Math.ceil((5 * 1024 * 1024) / oversize.length) + 100);
    const refused = send(server, { to: 'ann@shop.test', subject: 'too big', text });
    await expect(refused).rejects.toMatchObject({ responseCode: 552, response: expect.stringContaining('maximum message size of 5242880 bytes') });
    expect(await listMessages()).toEqual([]);

    // The server is still fine for the next message.
    await send(server, { to: 'ann@shop.test', subject: 'small', text: 'ok' });
    expect((await listMessages()).map((message) => message.subject)).toEqual(['small']);
  }, 30_000);

  it('keeps at most maxMessages, dropping the oldest', async () => {
    const small = await startMailServer({ smtpPort: 0, httpPort: 0, maxMessages: 2 });
    try {
      for (const subject of ['one', 'two', 'three']) await send(small, { to: 'ann@shop.test', subject, text: subject });
      const response = await fetch(`${small.httpUrl}api/messages`);
      const { messages } = (await response.json()) as { messages: MessageSummary[] };
      expect(messages.map((message) => message.subject)).toEqual(['three', 'two']);
    } finally {
      await small.stop();
    }
  });

  it('DELETE /api/messages empties the mailbox', async () => {
    await send(server, { to: 'ann@shop.test', subject: 'to be deleted', text: 'bye' });
    const [summary] = await listMessages();

    const response = await fetch(`${server.httpUrl}api/messages`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(await listMessages()).toEqual([]);
    expect((await fetch(`${server.httpUrl}api/messages/${summary!.id}`)).status).toBe(404);
  });

  it('stop() closes both ports so they can be bound again', async () => {
    const own = await startMailServer({ smtpPort: 0, httpPort: 0 });
    await own.stop();
    await expect(fetch(`${own.httpUrl}api/messages`)).rejects.toThrow();
    await bindAndRelease(own.smtpPort);
    await bindAndRelease(own.httpPort);
  });

  it('stop() does not wait for an HTTP client stuck in the middle of a request', async () => {
    const own = await startMailServer({ smtpPort: 0, httpPort: 0 });
    const stuck = net.connect(own.httpPort, '127.0.0.1');
    stuck.on('error', () => {});
    await new Promise((resolve) => stuck.once('connect', resolve));
    stuck.write('GET /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await own.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    stuck.destroy();
  });

  it('stop() does not wait for an idle SMTP client to hang up', async () => {
    const own = await startMailServer({ smtpPort: 0, httpPort: 0 });
    const idle = net.connect(own.smtpPort, '127.0.0.1');
    idle.on('error', () => {});
    await new Promise((resolve) => idle.once('data', resolve));
    const started = Date.now();
    await own.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    idle.destroy();
  });

  it('fails to start on a busy port and releases the port it had already bound', async () => {
    await expect(startMailServer({ smtpPort: server.smtpPort, httpPort: 0 })).rejects.toMatchObject({ code: 'EADDRINUSE' });

    const freePort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    // SMTP binds first, so with the HTTP port busy it has to be closed again.
    await expect(startMailServer({ smtpPort: freePort, httpPort: server.httpPort })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await bindAndRelease(freePort);
  });
});

describe('HTTP errors', () => {
  it('answers an unknown message id with a 404 JSON error', async () => {
    const response = await fetch(`${server.httpUrl}api/messages/no-such-id`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('answers an unknown path with 404 and a wrong method with 405 and Allow', async () => {
    const unknown = await fetch(`${server.httpUrl}api/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });

    const wrongMethod = await fetch(`${server.httpUrl}api/messages`, { method: 'POST', body: '{}' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD, DELETE');
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 'method_not_allowed' } });

    const deleteOne = await fetch(`${server.httpUrl}api/messages/some-id`, { method: 'DELETE' });
    expect(deleteOne.status).toBe(405);
    expect(deleteOne.headers.get('allow')).toBe('GET, HEAD');
  });

  it('survives malformed targets and keeps answering', async () => {
    expect((await fetch(`${server.httpUrl}api/messages/%E0%A4%A`)).status).toBe(404);
    expect((await fetch(`${server.httpUrl}messages/%ZZ`)).status).toBe(404);
    const asterisk = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port: server.httpPort, method: 'OPTIONS', path: '*' }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', reject).end();
    });
    expect(asterisk).toBe(400);
    expect((await fetch(`${server.httpUrl}api/messages`)).status).toBe(200);
    expect(reportedErrors).toEqual([]);
  });
});

describe('inbox pages', () => {
  it('shows an empty state before any mail arrived', async () => {
    const response = await fetch(server.httpUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('No e-mail yet');
    expect(html).toContain(server.smtpUrl);
    expect(html).not.toContain('<table');
  });

  it('lists messages with escaped subjects and recipients, linking each to its page', async () => {
    await send(server, { to: 'ann@shop.test', subject: '<img src=x onerror=alert(1)>', text: 'hi' });
    const [summary] = await listMessages();

    const html = await (await fetch(server.httpUrl)).text();
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain(`href="/messages/${summary!.id}"`);
    expect(html).toContain('ann@shop.test');
  });

  it('shows a message with its HTML part only inside a sandboxed srcdoc iframe', async () => {
    await send(server, {
      to: 'ann@shop.test',
      subject: 'Tom & "Jerry"',
      text: 'Confirm: https://pos.example/verify?token=abc&x=1.\nNot a link: javascript:alert(1)',
      html: hostileHtml,
    });
    const [summary] = await listMessages();

    const response = await fetch(`${server.httpUrl}messages/${summary!.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await response.text();

    // The only way the message's markup is on the page is escaped inside srcdoc.
    expect(page).not.toContain('<script');
    const iframes = [...page.matchAll(/<iframe\b[^>]*>/g)].map((match) => match[0]);
    expect(iframes).toHaveLength(1);
    expect(iframes[0]).toContain('sandbox=""');
    const srcdoc = /srcdoc="([^"]*)"/.exec(iframes[0]!)?.[1];
    expect(srcdoc).toBe(hostileHtml.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`));

    expect(page).toContain('Tom &#38; &#34;Jerry&#34;');
    // The link in the text part is clickable, escaped, and stops before the full stop.
    expect(page).toContain('<a href="https://pos.example/verify?token=abc&#38;x=1" target="_blank" rel="noopener noreferrer">');
    expect(page).not.toContain('href="javascript:');
  });

  it('answers an unknown message page with a 404 page', async () => {
    const response = await fetch(`${server.httpUrl}messages/no-such-id`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Message not found');
  });
});
