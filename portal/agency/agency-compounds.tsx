import { Hono, type Context } from 'hono';
import { consoleActor } from '../../intake/cases/case-actor.js';
import { consolePages } from '../console/console-pages.js';
import { requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';
import { visitorLanguage } from '../http/request-language.js';
import { publicPageHeaders } from '../public/public-security.js';
import { compoundIdPattern, type CompoundConsoleDependencies } from '../staff/compound-console.js';
import { CompoundListPage } from '../staff/compound-list-page.js';
import { CompoundFilePage } from '../staff/compound-page.js';

type AgencyContext = Context<ConsoleEnv>;

/**
 * The compounds of an agency's cases: only compounds with a confirmed case
 * routed to the agency, each page holding only the agency's own cases (its
 * counts, people held now, months, recruiters, accounts and wallets), and
 * its MISP export the same. Another compound answers as one that does not
 * exist. Read only: the hotline keeps the register and decides proposals.
 */
export function createAgencyCompounds(dependencies: CompoundConsoleDependencies) {
  const { cipher, i18n, accounts, compounds } = dependencies;
  const app = new Hono<ConsoleEnv>();
  const { tOf, page, refuse, notFound } = consolePages(i18n, cipher, dependencies.agencyName);
  const agencyOnly = requireConsoleUser(accounts, cipher, ['agency'], refuse);
  // `/agency/compounds/*` is the list's own path too: the check runs once for every page.
  app.use('/agency/compounds/*', ...publicPageHeaders, agencyOnly);
  const actor = (c: AgencyContext) => consoleActor(c.get('user'));
  const idOf = (c: AgencyContext) => {
    const id = c.req.param('id') ?? '';
    return compoundIdPattern.test(id) ? id : undefined;
  };

  app.get('/agency/compounds', async (c) => {
    const t = tOf(c);
    return page(
      c,
      t('compounds.title'),
      <CompoundListPage
        t={t}
        entries={await compounds.list(actor(c))}
        hrefOf={(id) => `/agency/compounds/${id}`}
        viewer="agency"
      />,
    );
  });

  app.get('/agency/compounds/:id', async (c) => {
    const id = idOf(c);
    const file = id ? await compounds.file(actor(c), id) : undefined;
    if (!id || !file) return notFound(c, 'compounds.notFound');
    const t = tOf(c);
    return page(
      c,
      file.compound.name,
      <CompoundFilePage
        t={t}
        language={visitorLanguage(c)}
        file={file}
        viewer="agency"
        caseHref={(reference) => `/agency/cases/${reference}`}
        exportHref={`/agency/compounds/${id}/misp`}
      />,
    );
  });

  app.get('/agency/compounds/:id/misp', async (c) => {
    const id = idOf(c);
    const event = id ? await compounds.mispEvent(actor(c), id, dependencies.misp ?? {}) : undefined;
    if (!id || !event) return notFound(c, 'compounds.notFound');
    c.header('content-disposition', `attachment; filename="compound-${id}.misp.json"`);
    c.header('cache-control', 'no-store');
    return c.json(event);
  });

  return app;
}
