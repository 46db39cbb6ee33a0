import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAuditEvent } from './audit-log.js';
import type { Database } from './database.js';

/** `partner`: a bank or messaging app that may only ask the check range API (`GET /api/v1/check-range/{prefix}`). */
export const tokenRoles = ['admin', 'agency', 'partner'] as const;
export type TokenRole = (typeof tokenRoles)[number];

export interface ApiPrincipal {
  tokenId: string;
  role: TokenRole;
  agencyId: string | null;
}

/**
 * A token is 32 random bytes, so a plain SHA-256 is enough to store it: there
 * is nothing to brute-force. The token itself is printed once and never stored.
 */
function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createApiToken(
  db: Kysely<Database>,
  options: { role: TokenRole; agencyId?: string; label?: string; now?: Date },
): Promise<{ id: string; token: string }> {
  if (options.role === 'agency' && !options.agencyId) throw new Error('an agency token needs an agency id');
  const id = randomUUID();
  const token = `rl_${randomBytes(32).toString('base64url')}`;
  const at = options.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('api_tokens')
      .values({
        id,
        token_hash: hashToken(token),
        role: options.role,
        agency_id: options.agencyId ?? null,
        label: options.label ?? null,
        created_at: at.toISOString(),
        revoked_at: null,
      })
      .execute();
    await appendAuditEvent(trx, {
      actor: 'cli',
      action: 'token.created',
      at,
      detail: { tokenId: id, role: options.role, agencyId: options.agencyId ?? null },
    });
  });
  return { id, token };
}

/** The principal a bearer token stands for, or undefined for an unknown or revoked token. */
export async function authenticateApiToken(db: Kysely<Database>, token: string): Promise<ApiPrincipal | undefined> {
  if (!token.startsWith('rl_') || token.length > 200) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'role', 'agency_id', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return undefined;
  return { tokenId: row.id, role: row.role as TokenRole, agencyId: row.agency_id };
}

/** A token as an operator lists it: what it may do and since when, never its secret (nor its hash). */
export interface ApiTokenSummary {
  id: string;
  role: TokenRole;
  agencyId: string | null;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export async function listApiTokens(db: Kysely<Database>): Promise<ApiTokenSummary[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'role', 'agency_id', 'label', 'created_at', 'revoked_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    role: row.role as TokenRole,
    agencyId: row.agency_id,
    label: row.label,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }));
}

/**
 * Revokes a token by its id (the one `token create` printed): from then on it
 * authenticates nothing. Revoking it again changes nothing and is not logged twice.
 */
export async function revokeApiToken(
  db: Kysely<Database>,
  tokenId: string,
  options: { actor: string; now?: Date },
): Promise<'revoked' | 'already_revoked' | 'not_found'> {
  const at = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: at.toISOString() })
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const exists = await trx.selectFrom('api_tokens').select('id').where('id', '=', tokenId).executeTakeFirst();
      return exists ? 'already_revoked' : 'not_found';
    }
    await appendAuditEvent(trx, { actor: options.actor, action: 'token.revoked', at, detail: { tokenId } });
    return 'revoked';
  });
}
