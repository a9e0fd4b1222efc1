import { notFound, redirect } from 'next/navigation';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { formAction, formFields, formList } from '@/lib/http/form-state';

let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  consoleError.mockRestore();
});

describe('formAction', () => {
  it('answers ok with the message of the body', async () => {
    expect(await formAction(async () => 'Saved.')).toEqual({ status: 'ok', message: 'Saved.' });
  });

  it('turns an AppError into a form error with one message per field, keeping the typed values', async () => {
    const values = { name: '', contactEmail: 'nope' };
    const state = await formAction(async () => {
      throw new AppError('validation_failed', '2 fields are invalid', [
        { path: 'name', message: 'Enter the store name.' },
        { path: 'contactEmail', message: 'Enter a valid e-mail address.' },
      ]);
    }, values);
    expect(state).toEqual({
      status: 'error',
      code: 'validation_failed',
      message: 'Check the 2 fields marked below.',
      fields: { name: 'Enter the store name.', contactEmail: 'Enter a valid e-mail address.' },
      values,
    });
  });

  it('points at the one wrong field rather than naming its path', async () => {
    const state = await formAction(async () => {
      throw new AppError('validation_failed', 'certificateAlertDays: Use 365 days or fewer.', [
        { path: 'certificateAlertDays', message: 'Use 365 days or fewer.' },
      ]);
    });
    expect(state).toMatchObject({ message: 'Check the field marked below.', fields: { certificateAlertDays: 'Use 365 days or fewer.' } });
  });

  it('gives an AppError without fields an empty field map', async () => {
    const state = await formAction(async () => {
      throw new AppError('account_locked', 'Locked.');
    });
    expect(state).toMatchObject({ status: 'error', code: 'account_locked', message: 'Locked.', fields: {} });
  });

  it('rethrows a Next.js redirect instead of reporting it as an error', async () => {
    const action = formAction(async () => redirect('/console'));
    await expect(action).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/console/) });
  });

  it('rethrows notFound()', async () => {
    await expect(formAction(async () => notFound())).rejects.toMatchObject({ digest: expect.stringMatching(/NEXT_HTTP_ERROR_FALLBACK;404/) });
  });

  it('turns an unexpected error into internal_error that reveals nothing, and logs it', async () => {
    const state = await formAction(async () => {
      throw new Error('duplicate key value violates unique constraint "StoreUser_email_key"');
    }, { email: 'a@example.test' });
    expect(state).toEqual({
      status: 'error',
      code: 'internal_error',
      message: 'Something went wrong on our side. Please try again.',
      fields: {},
      values: { email: 'a@example.test' },
    });
    expect(consoleError).toHaveBeenCalledOnce();
    expect(String(consoleError.mock.calls[0]?.[0])).toContain('StoreUser_email_key');
  });
});

describe('formFields', () => {
  it('keeps string fields and drops files and Next.js action fields', () => {
    const data = new FormData();
    data.set('name', 'Tea House');
    data.set('$ACTION_ID_abc', '');
    data.set('$ACTION_REF_1', '');
    data.set('logo', new Blob(['png']), 'logo.png');
    expect(formFields(data)).toEqual({ name: 'Tea House' });
  });
});

describe('formFields and formList', () => {
  it('read a form', () => {
    const form = new FormData();
    form.append('name', 'Web shop');
    form.append('brands', 'VISA');
    form.append('brands', 'JCB');
    form.append('$ACTION_ID_1', 'x');
    expect(formFields(form)).toEqual({ name: 'Web shop', brands: 'JCB' });
    expect(formList(form, 'brands')).toEqual(['VISA', 'JCB']);
  });

  it('find no fields in an argument that is not a form (a server action gets whatever the request encoded)', () => {
    for (const notAForm of ['not a form', null, undefined, 42, { name: 'x' }, ['name', 'x']]) {
      expect(formFields(notAForm as unknown as FormData)).toEqual({});
      expect(formList(notAForm as unknown as FormData, 'brands')).toEqual([]);
    }
  });
});

describe('formFields of a form from another realm', () => {
  it('reads any object shaped like a FormData, as the server-action runtime hands over', () => {
    const foreign = { entries: () => [['name', 'Till']][Symbol.iterator](), getAll: (name: string) => (name === 'brands' ? ['VISA'] : []) };
    expect(formFields(foreign as unknown as FormData)).toEqual({ name: 'Till' });
    expect(formList(foreign as unknown as FormData, 'brands')).toEqual(['VISA']);
  });
});
