import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, NETWORK_ROLES, type OrganizationSummary, type Role, type Team } from '../api';
import { useMe } from '../auth';
import { useLabels } from '../labels';
import { Field } from './Field';

export interface MembershipValue {
  role: Role;
  organizationId: string;
  teamId: string;
}

export const emptyMembership: MembershipValue = { role: 'caregiver', organizationId: '', teamId: '' };

/** The roles the active membership may hand out (the server checks the same rule). */
export function useGrantableRoles(): readonly Role[] {
  return useMe().grantableRoles;
}

export function isNetworkRole(role: Role): boolean {
  return NETWORK_ROLES.includes(role);
}

/** Body for POST /users or /users/:id/memberships from the field values. */
export function membershipBody(value: MembershipValue): { role: Role; organizationId?: string; teamId?: string } {
  const body: { role: Role; organizationId?: string; teamId?: string } = { role: value.role };
  if (!isNetworkRole(value.role)) {
    if (value.organizationId) body.organizationId = value.organizationId;
    if (value.teamId) body.teamId = value.teamId;
  }
  return body;
}

interface Props {
  idPrefix: string;
  value: MembershipValue;
  onChange: (value: MembershipValue) => void;
  errors: Record<string, string>;
}

/**
 * Role, organisation (network administrators choose one; organisation administrators grant in their own)
 * and an optional team of that organisation.
 */
export function MembershipFields({ idPrefix, value, onChange, errors }: Props) {
  const { t } = useTranslation();
  const me = useMe();
  const labels = useLabels();
  const roles = useGrantableRoles();
  const choosesOrganization = me.membership.organizationId === null;
  const [organizations, setOrganizations] = useState<OrganizationSummary[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const networkRole = isNetworkRole(value.role);
  const organizationId = choosesOrganization ? value.organizationId : (me.membership.organizationId ?? '');

  useEffect(() => {
    if (!choosesOrganization) return;
    let current = true;
    api.organizations().then(
      (r) => current && setOrganizations(r.items.filter((o) => o.active)),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [choosesOrganization]);

  useEffect(() => {
    setTeams([]);
    if (networkRole || !organizationId) return;
    let current = true;
    api.organization(organizationId).then(
      (o) => current && setTeams(o.teams),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [organizationId, networkRole]);

  return (
    <div className="grid-3">
      <Field id={`${idPrefix}-role`} label={t('users.role')} error={errors.role} required>
        {(control) => (
          <select
            {...control}
            value={value.role}
            onChange={(e) => onChange({ ...value, role: e.target.value as Role, teamId: '' })}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {labels.role(r)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {choosesOrganization && !networkRole && (
        <Field id={`${idPrefix}-organization`} label={t('users.organization')} error={errors.organizationId} required>
          {(control) => (
            <select
              {...control}
              value={value.organizationId}
              onChange={(e) => onChange({ ...value, organizationId: e.target.value, teamId: '' })}
            >
              <option value="">{t('users.organizationChoose')}</option>
              {organizations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {!networkRole && teams.length > 0 && (
        <Field id={`${idPrefix}-team`} label={t('users.team')} error={errors.teamId}>
          {(control) => (
            <select {...control} value={value.teamId} onChange={(e) => onChange({ ...value, teamId: e.target.value })}>
              <option value="">{t('users.teamNone')}</option>
              {teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </div>
  );
}

/** Client-side check before sending: an organisation role needs an organisation. */
export function membershipErrors(
  value: MembershipValue,
  choosesOrganization: boolean,
  required: string,
): Record<string, string> {
  if (choosesOrganization && !isNetworkRole(value.role) && !value.organizationId) return { organizationId: required };
  return {};
}
