import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type ResponseOf } from '../../api';

type PlanListItem = ResponseOf<'/api/care-plans', 'get'>['items'][number];
import { formatDate } from '../../format';
import { useLoad } from '../../hooks';

/** Where a closed plan of the person is read (read-only, on the plan page). */
export const closedPlanPath = (clientId: string, planId: string) => `/clients/${clientId}/hulpplan?plan=${planId}`;

/**
 * The person's closed care plans that this organisation may see, each as "Afgesloten hulpplan (date)" with a link to
 * read it: a closed plan stays findable from the client after a new one was made. Nothing while none (or loading).
 */
export function ClosedCarePlans({ clientId }: { clientId: string }) {
  const plans = useLoad(() => api.carePlans(clientId), [clientId]);
  return <ClosedPlanList clientId={clientId} plans={plans.data?.items ?? []} />;
}

export function ClosedPlanList({ clientId, plans }: { clientId: string; plans: readonly PlanListItem[] }) {
  const { t } = useTranslation();
  const closed = plans.filter((p) => p.status === 'closed');
  if (closed.length === 0) return null;
  return (
    <ul className="list closed-plans no-print" data-testid="closed-care-plans" aria-label={t('carePlan.closedPlans')}>
      {closed.map((p) => (
        <li key={p.id}>
          <Link to={closedPlanPath(clientId, p.id)} data-testid="closed-care-plan">
            {t('carePlan.closedPlan', { date: formatDate(p.closedOn ?? p.createdAt.slice(0, 10)) })}
          </Link>
        </li>
      ))}
    </ul>
  );
}
