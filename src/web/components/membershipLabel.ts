import { useTranslation } from 'react-i18next';
import type { Membership } from '../api';
import { useLabels } from '../labels';

/** "Role at organisation" or "role in network": how a membership is named in the shell and on the account page. */
export function useMembershipLabel(): (m: Membership) => string {
  const { t } = useTranslation();
  const labels = useLabels();
  return (m) =>
    m.organizationName
      ? t('shell.inOrganization', { role: labels.role(m.role), organization: m.organizationName })
      : t('shell.inNetwork', { role: labels.role(m.role), network: m.networkName });
}
