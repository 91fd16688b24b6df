import { describe, expect, it } from 'vitest';
import { eitherCodeSchema, recoveryCodeSchema, totpCodeSchema } from '~/utils/forms';
import {
  groupSecret,
  passkeyPromptCancelled,
  plainCode,
  plainRecoveryCode,
  recoveryCodesText,
} from '~/utils/second-factor';

describe('the set-up key, as a person copies it', () => {
  it('comes in groups of four, upper case', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('jbswy3dpehpk3pxpab')).toBe('JBSW Y3DP EHPK 3PXP AB');
    expect(groupSecret('')).toBe('');
  });

  it('groups to the same key however it was spaced', () => {
    const key = 'KRUGS4ZANFZSA2LUEBWW63DEEBSG6ZZO';
    expect(groupSecret(groupSecret(key)).replace(/ /g, '')).toBe(key);
    expect(groupSecret('KRUG-S4ZA NFZS')).toBe('KRUG S4ZA NFZS');
  });
});

describe('codes as people type them', () => {
  it('reads an app code with spaces or a dash as its six digits', () => {
    expect(plainCode(' 123 456 ')).toBe('123456');
    expect(plainCode('123-456')).toBe('123456');
    expect(totpCodeSchema.safeParse({ code: '123 456' }).data).toEqual({ code: '123456' });
    expect(totpCodeSchema.safeParse({ code: '12345' }).error?.issues[0]?.message).toBe('The code has 6 digits');
    expect(totpCodeSchema.safeParse({ code: '' }).error?.issues[0]?.message).toBe(
      'Enter the code from your authenticator app',
    );
  });

  it('reads a recovery code in any case, with or without its dash', () => {
    expect(plainRecoveryCode('ABCDE-12345')).toBe('abcde-12345');
    expect(plainRecoveryCode('abcde 12345')).toBe('abcde-12345');
    expect(plainRecoveryCode('abcde12345')).toBe('abcde-12345');
    expect(recoveryCodeSchema.safeParse({ recoveryCode: ' ABCDE12345 ' }).data).toEqual({
      recoveryCode: 'abcde-12345',
    });
  });

  it('takes six digits for an app code and anything else for a recovery code where both are allowed', () => {
    expect(eitherCodeSchema.safeParse({ code: '123 456' }).data).toEqual({ code: '123456' });
    expect(eitherCodeSchema.safeParse({ code: 'ABCDE12345' }).data).toEqual({ code: 'abcde-12345' });
    expect(eitherCodeSchema.safeParse({ code: '  ' }).success).toBe(false);
  });
});

describe('the recovery codes file', () => {
  it('says what the codes are for and lists one a line', () => {
    const text = recoveryCodesText(['aaaaa-bbbbb', 'ccccc-ddddd'], 'ada@example.com', 'nuell.example');
    expect(text.split('\n')[0]).toBe('Recovery codes for ada@example.com on nuell.example');
    expect(text).toContain('\naaaaa-bbbbb\nccccc-ddddd\n');
  });
});

describe('a passkey prompt that the person closed', () => {
  it('is told apart from a failure', () => {
    const closed = Object.assign(new Error('The operation either timed out or was not allowed.'), {
      name: 'NotAllowedError',
    });
    expect(passkeyPromptCancelled(closed)).toBe(true);
    const wrapped = Object.assign(new Error('Cancelled'), { code: 'ERROR_CEREMONY_ABORTED', cause: closed });
    expect(passkeyPromptCancelled(wrapped)).toBe(true);
    expect(passkeyPromptCancelled(new TypeError('Failed to fetch'))).toBe(false);
    expect(passkeyPromptCancelled('no')).toBe(false);
  });
});
