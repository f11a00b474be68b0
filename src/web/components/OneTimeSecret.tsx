import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A secret the server shows once (temporary password, API token), with a copy button. */
export function OneTimeSecret({
  label,
  value,
  intro,
  testId,
}: {
  label: string;
  value: string;
  intro?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <section className="secret">
      <h3>{label}</h3>
      {intro && <p>{intro}</p>}
      <p className="secret-row">
        <code className="secret-value" data-testid={testId}>
          {value}
        </code>
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? t('common.copied') : t('common.copy')}
        </button>
      </p>
      <p className="small">{t('common.showOnce')}</p>
    </section>
  );
}
