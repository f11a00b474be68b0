import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type UserMembership } from '../api';
import { useAuth, useMe } from '../auth';
import { ErrorAlert } from '../components/Alerts';
import { LoadedTable } from '../components/DataTable';
import { Field, TextField } from '../components/Field';
import {
  emptyMembership,
  MembershipFields,
  membershipBody,
  membershipErrors,
  useGrantableRoles,
  type MembershipValue,
} from '../components/MembershipFields';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { useDocumentTitle, useLoad, useSubmit } from '../hooks';
import { useLabels } from '../labels';

export function useMembershipText(): (m: UserMembership) => string {
  const labels = useLabels();
  return (m) => (m.organizationName ? `${labels.role(m.role)} — ${m.organizationName}` : labels.role(m.role));
}

export function UsersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useLoad(() => api.users(), []);
  const membershipText = useMembershipText();
  useDocumentTitle(t('users.title'));

  return (
    <>
      <h1>{t('users.title')}</h1>
      <LoadedTable
        list={list}
        empty={t('users.empty')}
        caption={t('users.caption')}
        columns={[t('users.displayName'), t('users.email'), t('users.roles'), t('common.status'), t('users.twoFactor')]}
        row={(u) => (
          <tr key={u.id}>
            <td>
              <Link to={`/users/${u.id}`}>{u.displayName}</Link>
            </td>
            <td>{u.email}</td>
            <td>
              <ul className="plain">
                {u.memberships.map((m) => (
                  <li key={m.id} className={m.active ? undefined : 'muted'}>
                    {membershipText(m)}
                    {!m.active && ` (${t('users.membershipInactive')})`}
                  </li>
                ))}
              </ul>
            </td>
            <td>
              <span className={`badge ${u.active ? 'badge-ok' : 'badge-off'}`}>
                {u.active ? t('common.active') : t('common.inactive')}
              </span>
            </td>
            <td>{u.totpEnabled ? t('common.yes') : t('common.no')}</td>
          </tr>
        )}
      />

      {can('user:manage') && <NewUser onCreated={() => list.reload()} />}
    </>
  );
}

function NewUser({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const roles = useGrantableRoles();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [language, setLanguage] = useState<'nl' | 'en'>('nl');
  const [membership, setMembership] = useState<MembershipValue>({
    ...emptyMembership,
    role: roles.includes('caregiver') ? 'caregiver' : (roles[0] ?? 'caregiver'),
  });
  const [created, setCreated] = useState<{ id: string; name: string; temporaryPassword: string } | null>(null);
  const s = useSubmit();
  const choosesOrganization = me.membership.organizationId === null;

  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {
      ...membershipErrors(membership, choosesOrganization, t('errors.fieldRequired')),
    };
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) errs.email = t('clients.emailInvalid');
    if (displayName.trim().length < 2) errs.displayName = t('errors.fieldRequired');
    s.setErrors(errs);
    if (Object.keys(errs).length > 0) {
      s.setError(t('errors.fixFields'));
      s.failed();
      return;
    }
    setCreated(null);
    void s.run(async () => {
      const name = displayName.trim();
      const result = await api.createUser({
        email: email.trim(),
        displayName: name,
        language,
        ...membershipBody(membership),
      });
      setCreated({ id: result.id, name, temporaryPassword: result.temporaryPassword });
      setEmail('');
      setDisplayName('');
      onCreated();
    });
  }

  return (
    <section className="card">
      <h2 id="new-user-title">{t('users.newTitle')}</h2>
      {created && (
        <div className="alert alert-success" role="status">
          <p>
            {t('users.created')} <Link to={`/users/${created.id}`}>{created.name}</Link>
          </p>
          <OneTimeSecret
            label={t('users.temporaryPassword')}
            intro={t('users.temporaryPasswordIntro')}
            value={created.temporaryPassword}
            testId="temporary-password"
          />
        </div>
      )}
      <form onSubmit={submit} noValidate ref={s.formRef}>
        <ErrorAlert error={s.error} />
        <div className="grid-2">
          <TextField
            id="user-new-email"
            label={t('users.email')}
            type="email"
            value={email}
            onChange={setEmail}
            error={s.errors.email}
            required
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            id="user-new-name"
            label={t('users.displayName')}
            value={displayName}
            onChange={setDisplayName}
            error={s.errors.displayName}
            required
            autoComplete="off"
            maxLength={120}
          />
        </div>
        <MembershipFields idPrefix="user-new" value={membership} onChange={setMembership} errors={s.errors} />
        <Field id="user-new-language" label={t('users.language')} error={s.errors.language}>
          {(control) => (
            <select {...control} value={language} onChange={(e) => setLanguage(e.target.value === 'en' ? 'en' : 'nl')}>
              <option value="nl">{t('language.nl')}</option>
              <option value="en">{t('language.en')}</option>
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="button primary" disabled={s.busy}>
            {t('common.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
