import type { TFunction } from 'i18next';
import type { Evidence } from '../../intake/store/report-followups.js';

const shownTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** A case's files: pictures shown small (opening full size), everything else offered as a download. */
export function EvidenceList(props: { t: TFunction; files: Evidence[]; base: string }) {
  const { t } = props;
  if (props.files.length === 0) return <p class="hint">{t('value.nothing')}</p>;
  const size = (bytes: number) =>
    bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return (
    <ul class="evidence">
      {props.files.map((file) => {
        const href = `${props.base}/${file.sha256}`;
        return (
          <li>
            {shownTypes.has(file.mediaType) ? (
              <a href={href}>
                <img src={href} alt={file.fileName} loading="lazy" />
              </a>
            ) : null}
            <a href={href} download={file.fileName}>
              {file.fileName}
            </a>{' '}
            <span class="hint">
              ({file.mediaType}, {size(file.size)})
            </span>
          </li>
        );
      })}
    </ul>
  );
}
