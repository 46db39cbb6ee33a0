import type { Context } from 'hono';
import type { CaseUseCases } from '../../intake/cases/case-use-cases.js';
import { consoleActor } from '../../intake/cases/case-actor.js';
import type { ConsoleEnv } from './console-session.js';
import { evidenceResponse } from './evidence-response.js';

/**
 * `GET …/evidence/:reference/:sha256`, the same for staff and agencies: one
 * file of a case the signed-in reader may see, audited before it is sent.
 */
export function evidenceRoute(cases: CaseUseCases, notFound: (c: Context<ConsoleEnv>) => Response | Promise<Response>) {
  return async (c: Context<ConsoleEnv>) => {
    const found = await cases.viewEvidence(
      consoleActor(c.get('user')),
      c.req.param('reference') ?? '',
      c.req.param('sha256') ?? '',
    );
    return found ? evidenceResponse(found.file, found.bytes) : notFound(c);
  };
}
