import { StoreBase } from './store-base.js';

/** The kinds of visit whose cookie is a signed value the server keeps nothing else for. */
export type EndedVisitKind = 'status-page';

/**
 * Visits the quick exit ended, so a cookie copied before the exit is refused
 * after it. Only a keyed hash of the visit is kept, and only until the
 * cookie would have expired: the table is no record of who checked what.
 */
export class EndedVisitStore extends StoreBase {
  #hash(kind: EndedVisitKind, visit: string): string {
    return this.cipher.blindIndex(`ended-visit:${kind}`, visit);
  }

  /** Ends a visit until `until`; ending it twice (a repeated exit) changes nothing. */
  async end(kind: EndedVisitKind, visit: string, until: Date): Promise<void> {
    if (until.getTime() <= this.now().getTime()) return;
    await this.db
      .insertInto('ended_visits')
      .values({ visit_hash: this.#hash(kind, visit), expires_at: until.toISOString() })
      .onConflict((oc) => oc.column('visit_hash').doNothing())
      .execute();
  }

  async hasEnded(kind: EndedVisitKind, visit: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('ended_visits')
      .select('visit_hash')
      .where('visit_hash', '=', this.#hash(kind, visit))
      .executeTakeFirst();
    return row !== undefined;
  }
}
