import type { TFunction } from 'i18next';
import type { ReportedAccount } from '../../intake/mules/mule-use-cases.js';

/** The accounts several reports name, most reported first, with what was reported paid to each. */
export function MuleAccountsPage(props: { t: TFunction; accounts: readonly ReportedAccount[] }) {
  const { t, accounts } = props;
  return (
    <>
      <h1>{t('mules.accountsTitle')}</h1>
      <p class="hint">{t('mules.accountsHint')}</p>
      <p>
        <a href="/staff/freeze-requests">{t('mules.freezeNav')}</a>
      </p>
      {accounts.length === 0 ? (
        <p data-message="mules.noAccounts">{t('mules.noAccounts')}</p>
      ) : (
        <table class="queue">
          <thead>
            <tr>
              <th scope="col">{t('mules.account')}</th>
              <th scope="col">{t('mules.kind')}</th>
              <th scope="col">{t('mules.reports')}</th>
              <th scope="col">{t('mules.totalLoss')}</th>
              <th scope="col">{t('mules.case')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((account) => (
              <tr data-account-kind={account.kind}>
                <td>
                  <a
                    href={`/staff/search?${new URLSearchParams({ q: `${account.kind}:${account.value}` }).toString()}`}
                  >
                    <bdi>{account.original || account.value}</bdi>
                  </a>{' '}
                  <code>{account.value}</code>
                </td>
                <td>{t(`mules.kinds.${account.kind}`)}</td>
                <td data-reports={account.reports}>{account.reports}</td>
                <td>
                  {account.losses.length === 0
                    ? '—'
                    : account.losses.map((loss) => (
                        <div data-currency={loss.currency} data-amount={loss.amount}>
                          <bdi>
                            {loss.amount.toLocaleString('en')} {loss.currency}
                          </bdi>{' '}
                          {t('mules.lossReports', { number: String(loss.reports) })}
                        </div>
                      ))}
                </td>
                <td>
                  <a href={`/staff/cases/${account.sampleReference}`}>{account.sampleReference}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
