import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth';

/** The DEMO marker, shown whenever /api/meta says the server runs with demo data. */
export function DemoBadge() {
  const { t } = useTranslation();
  const { meta } = useAuth();
  if (!meta?.demo) return null;
  return (
    <span className="demo-badge" title={t('app.demoExplained')} data-testid="demo-badge">
      {t('app.demo')}
    </span>
  );
}
