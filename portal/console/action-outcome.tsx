import type { TFunction } from 'i18next';

/** What a console action just did, or why it was refused: the notice and error keys a page was sent back with. */
export function ActionOutcome(props: { t: TFunction; notice?: string | undefined; error?: string | undefined }) {
  const { t } = props;
  return (
    <>
      {props.notice ? (
        <p class="notice" role="status" data-message={props.notice}>
          {t(props.notice)}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" role="alert" data-message={props.error}>
          {t(props.error)}
        </p>
      ) : null}
    </>
  );
}
