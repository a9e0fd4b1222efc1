import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPin } from '@/lib/auth/pin';
import { sha256Hex } from '@/lib/auth/tokens';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { ACQUIRER_APPLICATION_KIND } from '@/lib/outbox/enqueue-acquirer-application';
import { signUp, VERIFICATION_TOKEN_HOURS } from '@/lib/stores/sign-up';
import { outboxEmailsTo, uniqueEmail, uniqueName } from '@/lib/testing/fixtures';

/** Acquirers of this file's own (unique codes), so other files' rows never matter. */
let card: { id: string; code: string; name: string };
let jcb: { id: string; code: string; name: string };
let disabled: { id: string; code: string; name: string };

async function createAcquirerRow(label: string, status: 'ACTIVE' | 'DISABLED' = 'ACTIVE') {
  const code = `${label}-${randomUUID().slice(0, 8).toUpperCase()}`;
  return db().acquirer.create({
    data: { code, name: `Acquirer ${code}`, brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:1/set', registryUrl: 'http://127.0.0.1:1/registry', status },
    select: { id: true, code: true, name: true },
  });
}

beforeAll(async () => {
  card = await createAcquirerRow('CARD');
  jcb = await createAcquirerRow('JCB');
  disabled = await createAcquirerRow('OLD', 'DISABLED');
});

const uniqueMerchantNumber = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;

function signUpInput(overrides: Record<string, unknown> = {}) {
  return {
    storeName: uniqueName('Tea House'),
    ownerName: 'Hana Sato',
    email: uniqueEmail('signup'),
    password: 'a long enough password',
    contracts: [
      { acquirerCode: card.code, merchantNumber: uniqueMerchantNumber('M'), pin: '1234' },
      { acquirerCode: jcb.code, merchantNumber: '', pin: '' },
    ],
    ...overrides,
  };
}

function tokenFrom(text: string): string {
  const match = /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no verification link in: ${text}`);
  return match[1];
}

/** What a sign-up that failed must not have left behind. */
async function expectNothingWritten(input: { storeName: string; email: string }) {
  expect(await db().store.count({ where: { name: input.storeName } })).toBe(0);
  expect(await db().storeUser.count({ where: { email: input.email } })).toBe(0);
  expect(await outboxEmailsTo(input.email)).toHaveLength(0);
}

describe('signUp', () => {
  it('creates the PENDING store, its owner, a hashed token, the verification e-mail and an audit event', async () => {
    const input = signUpInput({ email: uniqueEmail('Mixed.Case').toUpperCase() });
    const email = input.email.toLowerCase();
    const before = new Date();

    expect(await signUp(input)).toEqual({ email });

    const user = await db().storeUser.findUniqueOrThrow({ where: { email }, include: { store: true, verificationTokens: true } });
    expect(user.store).toMatchObject({ name: input.storeName, contactEmail: email, status: 'PENDING', storeInfoVersion: 1 });
    expect(user).toMatchObject({ name: 'Hana Sato', role: 'OWNER', emailVerifiedAt: null, failedLoginCount: 0 });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);

    const [message, ...others] = await outboxEmailsTo(email);
    expect(others).toHaveLength(0);
    expect(message).toMatchObject({ kind: 'email', status: 'PENDING', storeId: user.storeId });
    expect(message?.email.subject).toBe('Confirm your e-mail address for ServerPOS');
    expect(message?.email.text).toContain(`${env().APP_URL}/verify-email?token=`);

    // The database keeps only the token's hash; the token itself is only in the e-mail.
    const token = tokenFrom(message!.email.text);
    expect(user.verificationTokens).toHaveLength(1);
    const stored = user.verificationTokens[0]!;
    expect(stored.tokenHash).toBe(sha256Hex(token));
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.usedAt).toBeNull();
    const hoursValid = (stored.expiresAt.getTime() - before.getTime()) / 3_600_000;
    expect(hoursValid).toBeGreaterThanOrEqual(VERIFICATION_TOKEN_HOURS - 0.01);
    expect(hoursValid).toBeLessThanOrEqual(VERIFICATION_TOKEN_HOURS + 0.01);

    const audit = await db().auditEvent.findMany({ where: { storeId: user.storeId }, orderBy: { action: 'asc' } });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'contract.applied', actorType: 'STORE_USER', actorId: user.id, targetType: 'AcquirerContract' }),
      expect.objectContaining({ action: 'store.signed_up', actorType: 'STORE_USER', actorId: user.id, targetType: 'Store', targetId: user.storeId }),
    ]);
    // Nothing secret in the audit trail.
    expect(JSON.stringify(audit)).not.toContain(input.password);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('applies for each acquirer row filled in: contract APPLIED with the PIN as a verifier, the first POS linked, store information version 1, one application in the outbox each', async () => {
    const cardNumber = uniqueMerchantNumber('m');
    const jcbNumber = uniqueMerchantNumber('J');
    const input = signUpInput({
      contracts: [
        { acquirerCode: card.code, merchantNumber: ` ${cardNumber} `, pin: '1234' },
        { acquirerCode: jcb.code, merchantNumber: jcbNumber, pin: '87654321' },
      ],
    });
    await signUp(input);
    const { storeId } = await db().storeUser.findUniqueOrThrow({ where: { email: input.email } });

    const contracts = await db().acquirerContract.findMany({ where: { storeId }, orderBy: { merchantNumber: 'asc' } });
    expect(contracts.map(({ acquirerId, merchantNumber, status, verifiedAt, certificateAcquisitionNumberHash }) => ({ acquirerId, merchantNumber, status, verifiedAt, certificateAcquisitionNumberHash }))).toEqual([
      { acquirerId: jcb.id, merchantNumber: jcbNumber, status: 'APPLIED', verifiedAt: null, certificateAcquisitionNumberHash: null },
      { acquirerId: card.id, merchantNumber: cardNumber.toUpperCase(), status: 'APPLIED', verifiedAt: null, certificateAcquisitionNumberHash: null },
    ]);
    const [jcbContract, cardContract] = contracts as [(typeof contracts)[0], (typeof contracts)[0]];
    expect(cardContract.pinHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPin(cardContract.pinHash, '1234')).toBe(true);
    expect(await verifyPin(jcbContract.pinHash, '87654321')).toBe(true);
    expect(await verifyPin(jcbContract.pinHash, '1234')).toBe(false);

    const poses = await db().pos.findMany({ where: { storeId }, include: { acquirers: { orderBy: { createdAt: 'asc' } } } });
    expect(poses).toHaveLength(1);
    expect(poses[0]).toMatchObject({ name: 'Web shop', status: 'ACTIVE' });
    expect(poses[0]!.acquirers.map(({ contractId, acquirerId, status }) => ({ contractId, acquirerId, status })).sort((a, b) => a.acquirerId.localeCompare(b.acquirerId))).toEqual(
      [
        { contractId: cardContract.id, acquirerId: card.id, status: 'PENDING' },
        { contractId: jcbContract.id, acquirerId: jcb.id, status: 'PENDING' },
      ].sort((a, b) => a.acquirerId.localeCompare(b.acquirerId)),
    );

    expect(await db().storeInfoRevision.findMany({ where: { storeId }, select: { version: true, source: true, name: true, contactEmail: true } })).toEqual([
      { version: 1, source: 'ENROLMENT', name: input.storeName, contactEmail: input.email },
    ]);

    const applications = await db().outboxMessage.findMany({ where: { storeId, kind: ACQUIRER_APPLICATION_KIND } });
    expect(applications.map((message) => message.payload).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [{ contractId: cardContract.id }, { contractId: jcbContract.id }].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(applications.every((message) => message.status === 'PENDING')).toBe(true);

    const audit = await db().auditEvent.findMany({ where: { storeId, action: 'contract.applied' } });
    expect(audit.map((event) => event.targetId).sort()).toEqual([cardContract.id, jcbContract.id].sort());
    expect(JSON.stringify(audit)).not.toContain('87654321');
  });

  it('gives a second sign-up with the same e-mail the same answer, creates no store and e-mails the owner instead', async () => {
    const first = signUpInput();
    await signUp(first);
    const owner = await db().storeUser.findUniqueOrThrow({ where: { email: first.email } });

    const second = signUpInput({ email: `  ${first.email.toUpperCase()} `, password: 'another long password' });
    expect(await signUp(second)).toEqual({ email: first.email });

    expect(await db().store.count({ where: { name: second.storeName } })).toBe(0);
    expect(await db().storeUser.count({ where: { email: first.email } })).toBe(1);
    // The second application's merchant number was not taken either: nothing of it was written.
    const secondNumber = (second.contracts as { merchantNumber: string }[])[0]!.merchantNumber;
    expect(await db().acquirerContract.count({ where: { merchantNumber: secondNumber } })).toBe(0);
    expect(await db().acquirerContract.count({ where: { storeId: owner.storeId } })).toBe(1);
    // The existing account is untouched: same store, same password, no new token.
    const after = await db().storeUser.findUniqueOrThrow({ where: { email: first.email }, include: { verificationTokens: true } });
    expect(after.storeId).toBe(owner.storeId);
    expect(after.passwordHash).toBe(owner.passwordHash);
    expect(after.verificationTokens).toHaveLength(1);

    const emails = await outboxEmailsTo(first.email);
    expect(emails.map((row) => row.email.subject)).toEqual(['Confirm your e-mail address for ServerPOS', 'You already have a ServerPOS account']);
    expect(emails[1]?.email.text).toContain(`Sign in: ${env().APP_URL}/login`);
    expect(emails[1]?.storeId).toBe(owner.storeId);

    const audit = await db().auditEvent.findMany({ where: { storeId: owner.storeId, action: { startsWith: 'store.' } }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((event) => event.action)).toEqual(['store.signed_up', 'store.sign_up_existing_email']);
    expect(audit[1]).toMatchObject({ actorType: 'ANONYMOUS', actorId: null, targetId: owner.id });
  });

  it('answers two simultaneous sign-ups with one new e-mail address alike, and creates one store', async () => {
    const email = uniqueEmail('race');
    const inputs = [signUpInput({ email }), signUpInput({ email })];
    const results = await Promise.allSettled(inputs.map((input) => signUp(input)));
    expect(results).toEqual([
      { status: 'fulfilled', value: { email } },
      { status: 'fulfilled', value: { email } },
    ]);
    const stores = await db().store.findMany({ where: { name: { in: inputs.map((input) => input.storeName) } } });
    expect(stores).toHaveLength(1);
    expect(await db().storeUser.count({ where: { email } })).toBe(1);
    const subjects = (await outboxEmailsTo(email)).map((row) => row.email.subject).sort();
    expect(subjects).toEqual(['Confirm your e-mail address for ServerPOS', 'You already have a ServerPOS account']);
  });

  it('creates nothing for bad input, and says which fields are wrong', async () => {
    const input = signUpInput({ password: 'too short', ownerName: '' });
    const error = await signUp(input).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'validation_failed' });
    expect((error as AppError).fields?.map((field) => field.path).sort()).toEqual(['ownerName', 'password']);
    await expectNothingWritten(input);
  });

  it('refuses half-filled acquirer rows with an error on the missing half, and writes nothing', async () => {
    const cardNumber = uniqueMerchantNumber('M');
    const input = signUpInput({
      contracts: [
        { acquirerCode: card.code, merchantNumber: cardNumber, pin: '' },
        { acquirerCode: jcb.code, merchantNumber: '', pin: '1234' },
      ],
    });
    const error = (await signUp(input).catch((caught: unknown) => caught)) as AppError;
    expect(error).toMatchObject({ code: 'validation_failed' });
    expect(error.fields).toEqual([
      { path: 'contracts.0.pin', message: 'Enter the PIN you register for this merchant number.' },
      { path: 'contracts.1.merchantNumber', message: 'Enter the merchant number that goes with this PIN.' },
    ]);
    await expectNothingWritten(input);
    expect(await db().acquirerContract.count({ where: { merchantNumber: cardNumber } })).toBe(0);
  });

  it('requires at least one acquirer', async () => {
    const input = signUpInput({ contracts: [{ acquirerCode: card.code, merchantNumber: '', pin: '' }] });
    const error = (await signUp(input).catch((caught: unknown) => caught)) as AppError;
    expect(error.fields).toEqual([{ path: 'contracts', message: 'Enter the merchant number and PIN for at least one acquirer.' }]);
    await expectNothingWritten(input);
  });

  it('refuses an acquirer ServerPOS does not work with (unknown or disabled) on its row, and writes nothing', async () => {
    const input = signUpInput({
      contracts: [
        { acquirerCode: card.code, merchantNumber: uniqueMerchantNumber('M'), pin: '1234' },
        { acquirerCode: 'NO-SUCH-ACQUIRER', merchantNumber: uniqueMerchantNumber('N'), pin: '1234' },
        { acquirerCode: disabled.code, merchantNumber: uniqueMerchantNumber('D'), pin: '1234' },
      ],
    });
    const error = (await signUp(input).catch((caught: unknown) => caught)) as AppError;
    expect(error).toMatchObject({ code: 'validation_failed' });
    expect(error.fields).toEqual([
      { path: 'contracts.1.acquirerCode', message: 'Choose one of the acquirers listed.' },
      { path: 'contracts.2.acquirerCode', message: 'Choose one of the acquirers listed.' },
    ]);
    await expectNothingWritten(input);
  });

  it('answers a merchant number another store holds like any sign-up, creates no contract for it, and reveals nothing of the holder', async () => {
    const holder = signUpInput({ storeName: uniqueName('Holder Secret Name') });
    await signUp(holder);
    const held = (holder.contracts as { merchantNumber: string }[])[0]!.merchantNumber;
    const holderUser = await db().storeUser.findUniqueOrThrow({ where: { email: holder.email } });
    const jcbNumber = uniqueMerchantNumber('J');

    const input = signUpInput({
      contracts: [
        { acquirerCode: card.code, merchantNumber: held.toLowerCase(), pin: '9999' },
        { acquirerCode: jcb.code, merchantNumber: jcbNumber, pin: '9999' },
      ],
    });
    expect(await signUp(input)).toEqual({ email: input.email });

    const user = await db().storeUser.findUniqueOrThrow({ where: { email: input.email } });
    // The store and its other application go ahead; the held number stays with its holder.
    expect(await db().acquirerContract.findMany({ where: { storeId: user.storeId }, select: { acquirerId: true, merchantNumber: true } })).toEqual([{ acquirerId: jcb.id, merchantNumber: jcbNumber }]);
    expect(await db().acquirerContract.findMany({ where: { acquirerId: card.id, merchantNumber: held }, select: { storeId: true } })).toEqual([{ storeId: holderUser.storeId }]);
    expect(await db().outboxMessage.count({ where: { storeId: user.storeId, kind: ACQUIRER_APPLICATION_KIND } })).toBe(1);

    // The applicant hears "could not be accepted" — the wording of an acquirer's refusal — and nothing about the holder.
    const emails = await outboxEmailsTo(input.email);
    expect(emails.map((row) => row.email.subject).sort()).toEqual(['Confirm your e-mail address for ServerPOS', `Your application to ${card.name} could not be accepted`]);
    const refusal = emails.find((row) => row.email.subject.includes('could not be accepted'))!;
    for (const secret of [holder.storeName, holder.email, holderUser.storeId]) {
      expect(refusal.email.text).not.toContain(secret);
      expect(refusal.email.html).not.toContain(secret);
    }
    // The holder is warned that someone used its number.
    const warnings = (await outboxEmailsTo(holder.email)).filter((row) => row.email.subject.startsWith('Someone tried to enrol your merchant number'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.email.text).toContain(held);
    expect(warnings[0]!.email.text).not.toContain(input.storeName);
    expect(await db().auditEvent.count({ where: { storeId: holderUser.storeId, action: 'contract.merchant_number_claim_refused' } })).toBe(1);
    expect(await db().auditEvent.count({ where: { storeId: user.storeId, action: 'contract.application_not_accepted' } })).toBe(1);
  });

  it('releases a merchant number whose holder was rejected by the acquirer, so nobody can block a number by applying first', async () => {
    const squatter = signUpInput();
    await signUp(squatter);
    const number = (squatter.contracts as { merchantNumber: string }[])[0]!.merchantNumber;
    const squatterUser = await db().storeUser.findUniqueOrThrow({ where: { email: squatter.email } });
    const squatted = await db().acquirerContract.findFirstOrThrow({ where: { storeId: squatterUser.storeId } });
    await db().acquirerContract.update({ where: { id: squatted.id }, data: { status: 'REJECTED', rejectionReason: 'The store name does not match our contract. (details_mismatch)' } });

    const owner = signUpInput({ contracts: [{ acquirerCode: card.code, merchantNumber: number, pin: '2468' }] });
    await signUp(owner);

    const ownerUser = await db().storeUser.findUniqueOrThrow({ where: { email: owner.email } });
    expect(await db().acquirerContract.findMany({ where: { acquirerId: card.id, merchantNumber: number }, select: { storeId: true, status: true } })).toEqual([{ storeId: ownerUser.storeId, status: 'APPLIED' }]);
    expect(await db().acquirerContract.count({ where: { id: squatted.id } })).toBe(0);
    expect(await db().posAcquirer.count({ where: { contractId: squatted.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { storeId: squatterUser.storeId, action: 'contract.rejected_application_released', targetId: squatted.id } })).toBe(1);
  });

  it('refuses input that is not an object', async () => {
    await expect(signUp(null)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(signUp('storeName=x')).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
