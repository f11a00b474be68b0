import { useTranslation } from 'react-i18next';
import { isOneOf, RISK_LEVELS, type RiskLevel } from '../api';

/**
 * The one risk vocabulary as a badge: Geen / Aandacht / Hoog / Acuut (server: core/risk.ts). Always a word, with
 * "Risico:" before it (visible, or for screen readers only where a column already says "Risico"); high and acute
 * also carry an icon, so colour is never the only sign. `null` is a level that was not shared.
 */
export function RiskBadge({
  level,
  compact = false,
  testId = 'risk-badge',
}: {
  level: string | null | undefined;
  /** in a column headed "Risico": the word alone is seen, the label is still read out */
  compact?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (level === null || level === undefined) {
    return (
      <span className="badge badge-off badge-risk" data-testid={testId} data-risk="" title={t('risk.notSharedHint')}>
        <span className="visually-hidden">{t('risk.label')}: </span>
        {t('risk.notShared')}
      </span>
    );
  }
  const known: RiskLevel = isOneOf(RISK_LEVELS, level) ? level : 'attention';
  const word = t(`risk.levels.${known}`);
  return (
    <span className={`badge badge-risk badge-risk-${known}`} data-testid={testId} data-risk={known}>
      {(known === 'high' || known === 'acute') && <span aria-hidden="true">{known === 'acute' ? '⚠ ' : '! '}</span>}
      {compact ? (
        <>
          <span className="visually-hidden">{t('risk.label')}: </span>
          {word}
        </>
      ) : (
        t('risk.badge', { level: word })
      )}
    </span>
  );
}
