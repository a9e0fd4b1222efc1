import { randomId } from '../encoding';
import type { SetError} from '../errors';
import { type SetErrorCode } from '../errors';
import type { Recipient, Signer } from '../keys';
import { messageTime, sendSigned, type Party } from '../protocol';
import type { MessageOf } from '../schemas';

export type ErrorMessage = MessageOf<'Error'>;

/**
 * The protocol Error message: a party that refuses a message says why, with
 * the stable code, signed so the other side knows who refused. The message
 * text never repeats secrets from what was refused.
 */
export async function createErrorMessage(input: {
  error: SetError | { code: SetErrorCode | string; message: string };
  about?: string;
  rrpid?: string;
  xid?: string;
  signer: Signer;
  recipient?: Recipient;
  party?: Pick<Party, 'clock'>;
}): Promise<{ message: ErrorMessage; raw: string }> {
  const message: ErrorMessage = {
    msg: 'Error',
    v: 1,
    rrpid: input.rrpid && /^[A-Za-z0-9_-]{16,64}$/.test(input.rrpid) ? input.rrpid : randomId(),
    time: messageTime(input.party),
    code: input.error.code,
    message: input.error.message.slice(0, 500),
    ...(input.about ? { about: input.about.slice(0, 20) } : {}),
    ...(input.xid ? { xid: input.xid } : {}),
  };
  return { message, raw: await sendSigned(message, input.signer, input.recipient) };
}
