import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountError,
  AccountStore,
  lockoutMs,
  maxFailedLogins,
  sessionIdleMs,
} from '../../intake/accounts/account-store.js';
import { hashPassword, verifyPassword } from '../../intake/accounts/password-hash.js';
import { totpAt, verifyTotp } from '../../intake/accounts/totp.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

describe('passwords and second factors', () => {
  it('hashes with scrypt and a salt, and verifies only the right password', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse battery staple', first)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', first)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });

  it('computes the TOTP codes of RFC 6238 and accepts one step of clock drift', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // base32 of "12345678901234567890"
    expect(totpAt(secret, new Date(59_000))).toBe('287082');
    expect(totpAt(secret, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpAt(secret, new Date(2_000_000_000_000))).toBe('279037');
    const now = new Date(1_700_000_000_000);
    expect(verifyTotp(secret, totpAt(secret, new Date(now.getTime() - 30_000)), now)).toBe(true);
    expect(verifyTotp(secret, totpAt(secret, new Date(now.getTime() - 90_000)), now)).toBe(false);
  });
});

describe.each(testDatabaseKinds)('staff accounts on %s', (kind) => {
  let database: TestDatabase;
  let accounts: AccountStore;
  let clock = new Date('2026-03-01T08:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    accounts = new AccountStore({ db: database.db, cipher: testCipher(), now: () => clock });
  });
  afterAll(async () => database?.dispose());

  it('creates accounts with roles, refusing duplicates, weak passwords and agency accounts without an agency', async () => {
    const user = await accounts.createUser({
      username: 'Somchai',
      password: 'a long hotline passphrase',
      role: 'hotline',
    });
    expect(user).toMatchObject({ username: 'somchai', role: 'hotline', agencyId: null });
    await expect(
      accounts.createUser({ username: 'somchai', password: 'another long passphrase', role: 'admin' }),
    ).rejects.toMatchObject({ code: 'account.username_taken' });
    await expect(accounts.createUser({ username: 'short', password: 'short', role: 'hotline' })).rejects.toBeInstanceOf(
      AccountError,
    );
    await expect(
      accounts.createUser({ username: 'knpa', password: 'a long agency passphrase', role: 'agency' }),
    ).rejects.toMatchObject({ code: 'account.agency_required' });
    expect(
      await accounts.createUser({
        username: 'knpa',
        password: 'a long agency passphrase',
        role: 'agency',
        agencyId: 'kr-knpa',
      }),
    ).toMatchObject({ agencyId: 'kr-knpa' });
  });

  it('logs in with the right password only, and says nothing about which part was wrong', async () => {
    expect(await accounts.login('SOMCHAI ', 'a long hotline passphrase', undefined)).toMatchObject({
      ok: true,
      user: { username: 'somchai' },
    });
    expect(await accounts.login('somchai', 'wrong passphrase', undefined)).toEqual({ ok: false, reason: 'invalid' });
    expect(await accounts.login('nobody', 'a long hotline passphrase', undefined)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it(`locks an account after ${maxFailedLogins} wrong passwords, for a while`, async () => {
    await accounts.createUser({ username: 'target', password: 'the right passphrase', role: 'supervisor' });
    for (let i = 0; i < maxFailedLogins - 1; i += 1)
      expect((await accounts.login('target', `guess ${i}`, undefined)).ok).toBe(false);
    expect(await accounts.login('target', 'guess last', undefined)).toEqual({ ok: false, reason: 'locked' });
    expect(await accounts.login('target', 'the right passphrase', undefined)).toEqual({ ok: false, reason: 'locked' });
    clock = new Date(clock.getTime() + lockoutMs + 1_000);
    expect((await accounts.login('target', 'the right passphrase', undefined)).ok).toBe(true);
    const actions = (await listAuditEvents(database.db)).map((event) => event.action);
    expect(actions).toContain('account.locked');
    expect(actions).toContain('login.refused_locked');
  });

  it('asks for the second factor once it is on, and accepts only a current code', async () => {
    const user = await accounts.createUser({
      username: 'with2fa',
      password: 'a long supervisor phrase',
      role: 'supervisor',
    });
    const secret = await accounts.enableTotp(user.id);
    expect(await accounts.login('with2fa', 'a long supervisor phrase', undefined)).toEqual({
      ok: false,
      reason: 'second_factor_required',
    });
    expect(await accounts.login('with2fa', 'a long supervisor phrase', '000000')).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await accounts.login('with2fa', 'a long supervisor phrase', totpAt(secret, clock))).toMatchObject({
      ok: true,
      user: { totpEnabled: true },
    });
  });

  it('keeps a session alive while used, ends it when idle too long or logged out', async () => {
    const user = await accounts.createUser({
      username: 'shift',
      password: 'a long night shift phrase',
      role: 'hotline',
    });
    const token = await accounts.startSession(user.id);
    expect((await accounts.userForSession(token))?.username).toBe('shift');
    clock = new Date(clock.getTime() + sessionIdleMs - 60_000);
    expect((await accounts.userForSession(token))?.username).toBe('shift');
    clock = new Date(clock.getTime() + sessionIdleMs - 60_000);
    expect((await accounts.userForSession(token))?.username).toBe('shift');
    clock = new Date(clock.getTime() + sessionIdleMs + 1_000);
    expect(await accounts.userForSession(token)).toBeUndefined();

    const second = await accounts.startSession(user.id);
    await accounts.endSession(second);
    expect(await accounts.userForSession(second)).toBeUndefined();
    expect(await accounts.userForSession('forged-token')).toBeUndefined();
    expect(JSON.stringify(await database.db.selectFrom('staff_sessions').selectAll().execute())).not.toContain(second);
  });
});
