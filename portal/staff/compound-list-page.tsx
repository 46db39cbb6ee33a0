import type { TFunction } from 'i18next';
import type { CompoundListEntry } from '../../intake/compounds/compound-read-models.js';

/** The register: every compound the reader may see, with how many cases are on it and how many are held now. */
export function CompoundListPage(props: {
  t: TFunction;
  entries: CompoundListEntry[];
  /** Where a compound's page is, for this reader (`/staff/compounds/…` or `/agency/compounds/…`). */
  hrefOf: (id: string) => string;
  viewer: 'staff' | 'agency';
  notice?: string | undefined;
}) {
  const { t } = props;
  const staff = props.viewer === 'staff';
  return (
    <>
      <h1>{t('compounds.title')}</h1>
      {props.notice ? (
        <p class="notice" role="status" data-message={props.notice}>
          {t(props.notice)}
        </p>
      ) : null}
      <p class="hint">{t(staff ? 'compounds.intro' : 'compounds.agencyIntro')}</p>
      {staff ? (
        <p>
          <a href="/staff/compounds/new">{t('compounds.add')}</a>
        </p>
      ) : null}
      {props.entries.length === 0 ? (
        <p data-message={staff ? 'compounds.empty' : 'compounds.agencyEmpty'}>
          {t(staff ? 'compounds.empty' : 'compounds.agencyEmpty')}
        </p>
      ) : (
        <div class="table-wrap">
          <table data-table="compounds">
            <caption class="visually-hidden">{t('compounds.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('compounds.column.name')}</th>
                <th scope="col">{t('compounds.column.country')}</th>
                <th scope="col">{t('compounds.column.status')}</th>
                <th scope="col">{t('compounds.column.heldNow')}</th>
                <th scope="col">{t('compounds.column.confirmed')}</th>
                {staff ? <th scope="col">{t('compounds.column.proposed')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {props.entries.map(({ compound, counts }) => (
                <tr data-compound={compound.id}>
                  <td>
                    <a href={props.hrefOf(compound.id)}>
                      <bdi>{compound.name}</bdi>
                    </a>
                  </td>
                  <td>
                    <bdi>{compound.country}</bdi>
                  </td>
                  <td>{t(`compounds.status.${compound.status}`)}</td>
                  <td data-count="heldNow">{counts.heldNow}</td>
                  <td data-count="confirmed">{counts.confirmed}</td>
                  {staff ? <td data-count="proposed">{counts.proposed}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
