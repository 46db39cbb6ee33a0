import type { TFunction } from 'i18next';

/** Where the form begins: what it asks and how long it takes, and where a report started earlier is picked up. */
export function StartPage(props: {
  t: TFunction;
  token: string;
  hasDraft: boolean;
  error: string | undefined;
  typedCode: string;
}) {
  const { t, error } = props;
  return (
    <>
      <h1>{t('form.start.title')}</h1>
      <p>{t('form.start.intro')}</p>
      <ul>
        <li>{t('form.start.skip')}</li>
        <li>{t('form.start.saved')}</li>
        <li>{t('form.start.danger')}</li>
      </ul>
      <p>
        <a class="button primary" href="/report?go=safety">
          {t('form.start.begin')}
        </a>
      </p>
      {props.hasDraft ? (
        <p>
          <a class="button" href="/report?go=review">
            {t('form.start.continue')}
          </a>
        </p>
      ) : null}
      <section aria-labelledby="resume-heading">
        <h2 id="resume-heading">{t('form.resume.title')}</h2>
        <p>{t('form.resume.intro')}</p>
        {error ? (
          <p class="error" role="alert" id="resume-error" data-message={error}>
            {t(error)}
          </p>
        ) : null}
        <form method="post" action="/report/resume" autocomplete="off">
          <input type="hidden" name="token" value={props.token} />
          <label for="resume-code">{t('form.resume.code')}</label>
          <input
            id="resume-code"
            name="code"
            autocomplete="off"
            value={props.typedCode}
            aria-describedby={error ? 'resume-error' : undefined}
          />
          <p>
            <button type="submit">{t('form.resume.open')}</button>
          </p>
        </form>
      </section>
    </>
  );
}
