import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { consoleActor } from '../../intake/cases/case-actor.js';
import { CaseError } from '../../intake/cases/case-error.js';
import { CompoundError } from '../../intake/compounds/compound-error.js';
import { compoundFormSchema, type CompoundForm } from '../../intake/compounds/compound-input.js';
import type { Compound } from '../../intake/compounds/compound-rows.js';
import type { CompoundUseCases } from '../../intake/compounds/compound-use-cases.js';
import type { MispExportOptions } from '../../intake/delivery/exports/indicators-misp.js';
import { normalizeReportReference } from '../../intake/report/reference-codes.js';
import type { ConsoleDependencies } from '../console/console-dependencies.js';
import { consolePages } from '../console/console-pages.js';
import { consoleFormToken, postedForm, requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';
import { fieldText } from '../http/read-form.js';
import { visitorLanguage } from '../http/request-language.js';
import { publicPageHeaders } from '../public/public-security.js';
import { CompoundFormPage } from './compound-form-page.js';
import { CompoundListPage } from './compound-list-page.js';
import { CompoundFilePage } from './compound-page.js';
import { loadDutyDesk } from './urgent-duty-desk.js';

export interface CompoundConsoleDependencies extends ConsoleDependencies {
  compounds: CompoundUseCases;
  /** The TLP and PAP the MISP export carries. */
  misp?: MispExportOptions;
}

type StaffContext = Context<ConsoleEnv>;

/** A compound's id as the register makes them (a UUID): anything else is a page that does not exist. */
export const compoundIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const noticeQuery = z.object({ done: z.enum(['compounds.added', 'compounds.saved']).optional().catch(undefined) });
const decisionFields = z.object({
  decision: z.enum(['confirmed', 'rejected']).catch('confirmed'),
  back: z.enum(['case', 'compound']).catch('compound'),
});

/** How many characters of each posted field are read (the schema's maximum). */
const fieldMax: Record<keyof CompoundForm, number> = {
  name: 2000,
  aliases: 40_000,
  country: 20,
  area: 2000,
  latitude: 40,
  longitude: 40,
  landmarks: 40_000,
  status: 20,
  notes: 40_000,
};

const emptyForm: CompoundForm = compoundFormSchema.parse({ status: 'active' });

/** The posted compound form, each field its first value cut to the schema's length. */
function postedCompoundForm(c: StaffContext): CompoundForm {
  const fields = postedForm(c);
  const shape = compoundFormSchema.shape;
  const form = Object.fromEntries(
    (Object.keys(shape) as Array<keyof CompoundForm>).map((name) => [name, fieldText(fields, name) ?? '']),
  ) as CompoundForm;
  // Cut to what the schema takes: a longer field is told too long by the register's own check.
  return compoundFormSchema.parse(
    Object.fromEntries(
      Object.entries(form).map(([name, value]) => [name, value.slice(0, fieldMax[name as keyof CompoundForm])]),
    ),
  );
}

function formOf(compound: Compound): CompoundForm {
  return {
    name: compound.name,
    aliases: compound.aliases.join('\n'),
    country: compound.country,
    area: compound.area ?? '',
    latitude: compound.latitude === null ? '' : String(compound.latitude),
    longitude: compound.longitude === null ? '' : String(compound.longitude),
    landmarks: compound.landmarks.join('\n'),
    status: compound.status,
    notes: compound.notes ?? '',
  };
}

/**
 * The register of compounds in the staff console: the list, adding and
 * editing an entry, a compound's page, its MISP export, and confirming or
 * rejecting a proposed case (from the compound's page or the case's). Each
 * action is one use case of the intake, which audits it.
 */
export function createCompoundConsole(dependencies: CompoundConsoleDependencies) {
  const { cipher, i18n, accounts, compounds } = dependencies;
  const app = new Hono<ConsoleEnv>();
  const { tOf, page, refuse, notFound: caseNotFound } = consolePages(i18n, cipher, dependencies.agencyName);
  // A compound's address names a compound: its 404 says so, not 'There is no such case'.
  const notFound = (c: StaffContext) => caseNotFound(c, 'compounds.notFound');
  const staffOnly = requireConsoleUser(accounts, cipher, ['hotline', 'supervisor', 'admin'], refuse);
  app.use('/staff/compounds/*', bodyLimit({ maxSize: 128 * 1024, onError: (c) => c.text('Too large', 413) }));
  // `/staff/compounds/*` is the list's own path too: each middleware runs once for every page of the register.
  app.use('/staff/compounds/*', ...publicPageHeaders, staffOnly, loadDutyDesk(dependencies.urgent));
  const actor = (c: StaffContext) => consoleActor(c.get('user'));
  const caseHref = (reference: string) => `/staff/cases/${reference}`;
  /** The compound of the path, when it is one the register could have made; else the page does not exist. */
  const idOf = (c: StaffContext) => {
    const id = c.req.param('id') ?? '';
    return compoundIdPattern.test(id) ? id : undefined;
  };

  app.get('/staff/compounds', zValidator('query', noticeQuery), async (c) => {
    const t = tOf(c);
    return page(
      c,
      t('compounds.title'),
      <CompoundListPage
        t={t}
        entries={await compounds.list(actor(c))}
        hrefOf={(id) => `/staff/compounds/${id}`}
        viewer="staff"
        notice={c.req.valid('query').done}
      />,
    );
  });

  function showForm(
    c: StaffContext,
    form: CompoundForm,
    extra: { id?: string; seenUpdatedAt?: string; problems?: CompoundError['problems']; error?: string } = {},
    status: 200 | 400 = 200,
  ) {
    const t = tOf(c);
    const title = extra.id ? t('compounds.editTitle', { name: form.name }) : t('compounds.add');
    return page(
      c,
      title,
      <CompoundFormPage
        t={t}
        token={consoleFormToken(cipher, c)}
        action={extra.id ? `/staff/compounds/${extra.id}` : '/staff/compounds'}
        title={title}
        form={form}
        {...(extra.seenUpdatedAt ? { seenUpdatedAt: extra.seenUpdatedAt } : {})}
        {...(extra.problems ? { problems: extra.problems } : {})}
        error={extra.error}
      />,
      status,
    );
  }

  app.get('/staff/compounds/new', (c) => showForm(c, emptyForm));

  app.post('/staff/compounds', async (c) => {
    const form = postedCompoundForm(c);
    try {
      const { id } = await compounds.add(actor(c), form);
      return c.redirect(`/staff/compounds/${id}?done=compounds.added`, 303);
    } catch (error) {
      if (error instanceof CompoundError && error.code === 'compound.invalid')
        return showForm(c, form, { problems: error.problems }, 400);
      throw error;
    }
  });

  async function showCompound(c: StaffContext, id: string, extra: { notice?: string; error?: string } = {}) {
    const t = tOf(c);
    const file = await compounds.file(actor(c), id);
    if (!file) return notFound(c);
    return page(
      c,
      file.compound.name,
      <CompoundFilePage
        t={t}
        language={visitorLanguage(c)}
        file={file}
        viewer="staff"
        caseHref={caseHref}
        exportHref={`/staff/compounds/${id}/misp`}
        token={consoleFormToken(cipher, c)}
        notice={extra.notice}
        error={extra.error}
      />,
      extra.error ? 400 : 200,
    );
  }

  app.get('/staff/compounds/:id', (c) => {
    const id = idOf(c);
    if (!id) return notFound(c);
    const done = c.req.query('done');
    const notice =
      done && ['compounds.added', 'compounds.saved', 'compounds.confirmed', 'compounds.rejected'].includes(done)
        ? done
        : undefined;
    return showCompound(c, id, notice ? { notice } : {});
  });

  app.get('/staff/compounds/:id/edit', async (c) => {
    const id = idOf(c);
    const file = id ? await compounds.file(actor(c), id) : undefined;
    if (!file) return notFound(c);
    return showForm(c, formOf(file.compound), { id: file.compound.id, seenUpdatedAt: file.compound.updatedAt });
  });

  app.post('/staff/compounds/:id', async (c) => {
    const id = idOf(c);
    if (!id) return notFound(c);
    const form = postedCompoundForm(c);
    const seenUpdatedAt = (fieldText(postedForm(c), 'seenUpdatedAt') ?? '').slice(0, 40);
    try {
      await compounds.edit(actor(c), id, form, seenUpdatedAt);
      return c.redirect(`/staff/compounds/${id}?done=compounds.saved`, 303);
    } catch (error) {
      if (!(error instanceof CompoundError)) throw error;
      if (error.code === 'compound.not_found') return notFound(c);
      if (error.code === 'compound.invalid')
        return showForm(c, form, { id, seenUpdatedAt, problems: error.problems }, 400);
      // Edited by someone else meanwhile: what was typed stays in the form, against the version now stored.
      const current = await compounds.file(actor(c), id);
      return showForm(
        c,
        form,
        { id, seenUpdatedAt: current?.compound.updatedAt ?? seenUpdatedAt, error: 'compounds.error.editedMeanwhile' },
        400,
      );
    }
  });

  app.post('/staff/compounds/:id/cases/:reference', async (c) => {
    const id = idOf(c);
    const reference = normalizeReportReference(c.req.param('reference') ?? '');
    if (!id || !reference) return notFound(c);
    const { decision, back } = decisionFields.parse({
      decision: fieldText(postedForm(c), 'decision'),
      back: fieldText(postedForm(c), 'back'),
    });
    const notice = decision === 'confirmed' ? 'compounds.confirmed' : 'compounds.rejected';
    try {
      await compounds.decide(actor(c), id, reference, decision);
    } catch (error) {
      if (error instanceof CaseError && error.code === 'case.not_found') return caseNotFound(c);
      if (!(error instanceof CompoundError)) throw error;
      return showCompound(c, id, { error: 'compounds.error.notProposed' });
    }
    return c.redirect(
      back === 'case'
        ? `/staff/cases/${reference}?done=${notice}#compounds`
        : `/staff/compounds/${id}?done=${notice}#proposed`,
      303,
    );
  });

  app.get('/staff/compounds/:id/misp', async (c) => {
    const id = idOf(c);
    const event = id ? await compounds.mispEvent(actor(c), id, dependencies.misp ?? {}) : undefined;
    if (!event) return notFound(c);
    c.header('content-disposition', `attachment; filename="compound-${id}.misp.json"`);
    c.header('cache-control', 'no-store');
    return c.json(event);
  });

  return app;
}
