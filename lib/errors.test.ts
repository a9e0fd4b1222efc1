import { describe, expect, it } from 'vitest';
import { AppError, errorBody, httpStatusOf, isAppError, type ErrorCode } from '@/lib/errors';

describe('httpStatusOf', () => {
  it.each<[ErrorCode, number]>([
    ['invalid_json', 400],
    ['validation_failed', 400],
    ['unauthenticated', 401],
    ['invalid_credentials', 401],
    ['session_expired', 401],
    ['email_not_verified', 403],
    ['not_found', 404],
    ['method_not_allowed', 405],
    ['conflict', 409],
    ['invalid_state_transition', 409],
    ['token_invalid', 400],
    ['token_expired', 410],
    ['body_too_large', 413],
    ['unsupported_media_type', 415],
    ['account_locked', 423],
    ['rate_limited', 429],
    ['internal_error', 500],
    ['service_unavailable', 503],
  ])('%s → %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
    expect(new AppError(code, 'x').status).toBe(status);
  });
});

describe('AppError', () => {
  it('is an Error with its code and message', () => {
    const error = new AppError('not_found', 'Store not found.');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AppError');
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('Store not found.');
    expect(isAppError(error)).toBe(true);
  });

  it('is told apart from other errors', () => {
    expect(isAppError(new Error('boom'))).toBe(false);
    expect(isAppError({ code: 'not_found', message: 'look-alike' })).toBe(false);
    expect(isAppError(undefined)).toBe(false);
  });
});

describe('errorBody', () => {
  it('is { error: { code, message } } without fields when there are none', () => {
    expect(errorBody(new AppError('conflict', 'Already there.'))).toEqual({ error: { code: 'conflict', message: 'Already there.' } });
    expect('fields' in errorBody(new AppError('conflict', 'Already there.')).error).toBe(false);
  });

  it('carries the field list of a validation error', () => {
    const fields = [{ path: 'email', message: 'Enter a valid e-mail address.' }];
    expect(errorBody(new AppError('validation_failed', 'email: Enter a valid e-mail address.', fields))).toEqual({
      error: { code: 'validation_failed', message: 'email: Enter a valid e-mail address.', fields },
    });
  });
});
