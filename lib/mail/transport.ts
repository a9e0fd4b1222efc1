import nodemailer from 'nodemailer';
import type { EmailPayload } from '@/lib/outbox/enqueue-email';

export interface Mailer {
  send(message: EmailPayload, messageId: string): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer; one transport per worker process. */
export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message, messageId) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        // A stable Message-ID per outbox message lets a mailbox drop a redelivered copy.
        messageId: `<${messageId}@serverpos>`,
      });
    },
    close() {
      transport.close();
    },
  };
}
