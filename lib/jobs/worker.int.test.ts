import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { outboxEmailsTo, uniqueEmail, waitFor } from '@/lib/testing/fixtures';

interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  from: { name: string; address: string };
}

/** A real SMTP server on a free port; `refuseWith` makes it answer every MAIL FROM with that temporary failure. */
async function startSmtpServer(options: { refuseWith?: string } = {}) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!options.refuseWith) return callback();
      callback(Object.assign(new Error(options.refuseWith), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({
            to: session.envelope.rcptTo.map((recipient) => recipient.address).join(','),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            messageId: mail.messageId ?? '',
            from: { name: mail.from?.value[0]?.name ?? '', address: mail.from?.value[0]?.address ?? '' },
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const message = { subject: 'Worker test', text: 'Hello from the outbox.\n', html: '<p>Hello from the outbox.</p>' };

async function enqueueCommitted(to: string): Promise<string> {
  return db().$transaction((tx) => enqueueEmail(tx, { storeId: null, to, email: message }));
}

function outboxRow(id: string) {
  return db().outboxMessage.findUniqueOrThrow({ where: { id } });
}

/**
 * Earlier test files leave outbox messages undelivered (their e-mails, their simulators' calls); a worker
 * started here would deliver all of them to this file's SMTP server first. Settle them, so that what this
 * file counts is its own.
 */
async function settleEarlierOutbox() {
  await db().outboxMessage.updateMany({ where: { status: { in: ['PENDING', 'DISPATCHED'] } }, data: { status: 'FAILED', lastError: 'left undelivered by an earlier test file' } });
}

describe('the worker, with an SMTP server that accepts', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let worker: RunningWorker;

  beforeAll(async () => {
    await settleEarlierOutbox();
    smtp = await startSmtpServer();
    worker = await startWorker({ databaseUrl: env().DATABASE_URL, smtpUrl: smtp.url, mailFrom: 'ServerPOS Test <test@serverpos.localhost>', outboxPollMs: 100 });
  });

  afterAll(async () => {
    await worker?.stop();
    await smtp?.close();
  });

  it('delivers an e-mail enqueued in a committed transaction and marks it DELIVERED', async () => {
    const to = uniqueEmail('delivered');
    const id = await enqueueCommitted(to);

    const mail = await waitFor(async () => smtp.received.find((received) => received.to === to), `an e-mail to ${to}`);
    expect(mail).toMatchObject({
      subject: 'Worker test',
      text: 'Hello from the outbox.\n',
      html: '<p>Hello from the outbox.</p>',
      from: { name: 'ServerPOS Test', address: 'test@serverpos.localhost' },
      // The Message-ID comes from the outbox id, so a redelivered copy can be recognised.
      messageId: `<${id}@serverpos>`,
    });

    const row = await waitFor(async () => {
      const current = await outboxRow(id);
      return current.status === 'DELIVERED' ? current : undefined;
    }, 'the outbox row to be DELIVERED');
    expect(row).toMatchObject({ attempts: 1, lastError: null });
    expect(row.deliveredAt).toBeInstanceOf(Date);
    expect(smtp.received.filter((received) => received.to === to)).toHaveLength(1);
  });

  it('never sends the e-mail of a transaction that rolled back', async () => {
    const rolledBackTo = uniqueEmail('rolled-back');
    await expect(
      db().$transaction(async (tx) => {
        await enqueueEmail(tx, { storeId: null, to: rolledBackTo, email: message });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    // A message committed after the rollback is delivered; by then the relay has looked past the rolled-back one.
    const committedTo = uniqueEmail('after-rollback');
    const committedId = await enqueueCommitted(committedTo);
    await waitFor(async () => ((await outboxRow(committedId)).status === 'DELIVERED' ? true : undefined), 'the committed message to be delivered');

    expect(smtp.received.filter((received) => received.to === rolledBackTo)).toEqual([]);
    expect(await outboxEmailsTo(rolledBackTo)).toEqual([]);
  });

  it('delivers several messages of one transaction, each once', async () => {
    const recipients = Array.from({ length: 4 }, () => uniqueEmail('batch'));
    const ids = await db().$transaction(async (tx) => Promise.all(recipients.map((to) => enqueueEmail(tx, { storeId: null, to, email: message }))));

    await waitFor(async () => ((await db().outboxMessage.count({ where: { id: { in: ids }, status: 'DELIVERED' } })) === ids.length ? true : undefined), 'every message to be delivered');
    for (const to of recipients) expect(smtp.received.filter((received) => received.to === to), to).toHaveLength(1);
  });

  it('sends nothing twice when a message is handed to the queue again', async () => {
    const to = uniqueEmail('redispatched');
    const id = await enqueueCommitted(to);
    await waitFor(async () => ((await outboxRow(id)).status === 'DELIVERED' ? true : undefined), 'the first delivery');

    // As if the worker that dispatched it had died: DISPATCHED long ago, so the relay claims it again
    // and sends it to the queue under the same job id.
    const longAgo = new Date(Date.now() - 60 * 60_000);
    await db().outboxMessage.update({ where: { id }, data: { status: 'DISPATCHED', dispatchedAt: longAgo } });
    await waitFor(async () => ((await outboxRow(id)).dispatchedAt! > longAgo ? true : undefined), 'the relay to claim it again');
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // several polls of the e-mail queue

    expect(smtp.received.filter((received) => received.to === to)).toHaveLength(1);
  });
});

describe('the worker, with an SMTP server that refuses', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let worker: RunningWorker;
  const refusedIds: string[] = [];

  beforeAll(async () => {
    await settleEarlierOutbox();
    smtp = await startSmtpServer({ refuseWith: 'Mailbox busy, try again later' });
    worker = await startWorker({ databaseUrl: env().DATABASE_URL, smtpUrl: smtp.url, mailFrom: 'ServerPOS Test <test@serverpos.localhost>', outboxPollMs: 100 });
  });

  afterAll(async () => {
    await worker?.stop();
    await smtp?.close();
    // Retire the message so a later worker on a reused database does not go on retrying it.
    await db().outboxMessage.updateMany({ where: { id: { in: refusedIds } }, data: { status: 'FAILED' } });
  });

  it('retries the delivery and records the last error, without marking it delivered', async () => {
    const to = uniqueEmail('refused');
    const id = await enqueueCommitted(to);
    refusedIds.push(id);

    const row = await waitFor(
      async () => {
        const current = await outboxRow(id);
        return current.attempts >= 2 ? current : undefined;
      },
      'a second delivery attempt',
      45_000,
    );

    expect(row.status).toBe('DISPATCHED');
    expect(row.deliveredAt).toBeNull();
    expect(row.lastError).toMatch(/451/);
    expect(row.lastError).toContain('Mailbox busy, try again later');
    expect(smtp.received).toEqual([]);
  });
});
