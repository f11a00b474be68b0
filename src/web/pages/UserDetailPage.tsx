import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, type UserSummary } from '../api';
import { useAuth, useMe } from '../auth';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../components/Alerts';
import { useConfirm } from '../components/ConfirmDialog';
import { TextField } from '../components/Field';
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

export function UserDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const { can } = useAuth();
  const labels = useLabels();
  const user = useLoad(() => api.user(id), [id]);
  const [confirm, dialog] = useConfirm();
  const [flash, setFlash] = useState<string | null>(null);
  const [temporaryPassword, setTemporaryPassword] = useState<string | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [resetTwoFactor, setResetTwoFactor] = useState(false);
  const action = useSubmit();
  useDocumentTitle(user.data?.displayName ?? t('users.title'));

  const back = (
    <p className="breadcrumb">
      <Link to="/users">{t('users.backToList')}</Link>
    </p>
  );

  if (user.loading && !user.data) return <Loading />;
  if (user.error || !user.data) {
    return <LoadFailed back={back} title={t('users.title')} error={user.error} notFound={t('users.notFound')} />;
  }

  const u = user.data;
  const manage = can('user:manage');
  const self = u.id === me.user.id;
  // for a lost authenticator; never for the own account (the server refuses it too)
  const canResetTwoFactor = u.totpEnabled && !self;

  function updated(next: UserSummary | null, message: string) {
    if (next) user.setData(next);
    else user.reload();
    setFlash(message);
  }

  async function toggleActive() {
    const deactivate = u.active;
    const ok = await confirm({
      title: deactivate ? t('users.deactivate') : t('users.reactivate'),
      message: deactivate
        ? t('users.deactivateConfirm', { name: u.displayName })
        : t('users.reactivateConfirm', { name: u.displayName }),
      confirmLabel: deactivate ? t('users.deactivate') : t('users.reactivate'),
      danger: deactivate,
    });
    if (!ok) return;
    setFlash(null);
    await action.run(async () =>
      updated(
        await api.updateUser(u.id, { active: !deactivate }),
        deactivate ? t('users.deactivated') : t('users.reactivated'),
      ),
    );
  }

  async function resetPassword() {
    const withTwoFactor = canResetTwoFactor && resetTwoFactor;
    const ok = await confirm({
      title: t('users.resetPassword'),
      message: t(withTwoFactor ? 'users.resetTwoFactorConfirm' : 'users.resetPasswordConfirm', { name: u.displayName }),
      confirmLabel: t('users.resetPassword'),
      danger: true,
    });
    if (!ok) return;
    setFlash(null);
    setTemporaryPassword(null);
    await action.run(async () => {
      const result = await api.resetPassword(u.id, withTwoFactor ? { resetTwoFactor: true } : {});
      setTemporaryPassword(result.temporaryPassword);
      setResetTwoFactor(false);
      if (result.twoFactorReset) user.reload();
      setFlash(t(result.twoFactorReset ? 'users.resetTwoFactorDone' : 'users.resetDone'));
    });
  }

  async function deactivateMembership(membershipId: string, roleLabel: string) {
    const ok = await confirm({
      title: t('users.deactivateMembership'),
      message: t('users.deactivateMembershipConfirm', { role: roleLabel, name: u.displayName }),
      confirmLabel: t('users.deactivateMembership'),
      danger: true,
    });
    if (!ok) return;
    setFlash(null);
    await action.run(async () => {
      await api.deactivateMembership(membershipId);
      updated(null, t('users.membershipDeactivated'));
    });
  }

  return (
    <>
      {back}
      <div className="page-head">
        <h1>{u.displayName}</h1>
        <span className={`badge ${u.active ? 'badge-ok' : 'badge-off'}`}>
          {u.active ? t('common.active') : t('common.inactive')}
        </span>
      </div>
      <StatusMessage message={flash} />
      <ErrorAlert error={action.error} />
      {temporaryPassword && (
        <OneTimeSecret
          label={t('users.temporaryPassword')}
          intro={t('users.temporaryPasswordIntro')}
          value={temporaryPassword}
          testId="temporary-password"
        />
      )}

      <section className="card">
        <h2 id="user-details-title">{t('users.details')}</h2>
        <dl className="details">
          <dt>{t('users.displayName')}</dt>
          <dd>{u.displayName}</dd>
          <dt>{t('users.email')}</dt>
          <dd>{u.email}</dd>
          <dt>{t('users.twoFactor')}</dt>
          <dd>{u.totpEnabled ? t('common.yes') : t('common.no')}</dd>
        </dl>
        {manage && (
          <>
            {renaming ? (
              <Rename
                user={u}
                onDone={(next) => {
                  setRenaming(false);
                  if (next) updated(next, t('common.saved'));
                }}
              />
            ) : (
              <div className="actions">
                <button type="button" className="button secondary" onClick={() => setRenaming(true)}>
                  {t('users.rename')}
                </button>
                {canResetTwoFactor && (
                  <div className="checkbox">
                    <input
                      type="checkbox"
                      id="user-reset-two-factor"
                      checked={resetTwoFactor}
                      onChange={(e) => setResetTwoFactor(e.target.checked)}
                    />
                    <label htmlFor="user-reset-two-factor">{t('users.resetTwoFactor')}</label>
                  </div>
                )}
                <button
                  type="button"
                  className="button secondary"
                  disabled={action.busy}
                  onClick={() => void resetPassword()}
                >
                  {t('users.resetPassword')}
                </button>
                {!self && (
                  <button
                    type="button"
                    className={`button ${u.active ? 'danger' : 'primary'}`}
                    disabled={action.busy}
                    onClick={() => void toggleActive()}
                  >
                    {u.active ? t('users.deactivate') : t('users.reactivate')}
                  </button>
                )}
              </div>
            )}
          </>
        )}
      </section>

      <section className="card">
        <h2 id="memberships-title">{t('users.memberships')}</h2>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('users.memberships')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.organization')}</th>
                <th scope="col">{t('common.status')}</th>
                {manage && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {u.memberships.map((m) => (
                <tr key={m.id}>
                  <td>{labels.role(m.role)}</td>
                  <td>{m.organizationName ?? me.membership.networkName}</td>
                  <td>
                    <span className={`badge ${m.active ? 'badge-ok' : 'badge-off'}`}>
                      {m.active ? t('common.active') : t('common.inactive')}
                    </span>
                  </td>
                  {manage && (
                    <td>
                      {m.active && (
                        <button
                          type="button"
                          className="button danger small"
                          disabled={action.busy}
                          onClick={() => void deactivateMembership(m.id, labels.role(m.role))}
                        >
                          {t('users.deactivateMembership')}
                          <span className="visually-hidden">
                            {` (${labels.role(m.role)}${m.organizationName ? ` — ${m.organizationName}` : ''})`}
                          </span>
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {manage && <AddMembership userId={u.id} onAdded={() => updated(null, t('users.membershipAdded'))} />}
      </section>
      {dialog}
    </>
  );
}

function Rename({ user, onDone }: { user: UserSummary; onDone: (next: UserSummary | null) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(user.displayName);
  const s = useSubmit();
  function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim().length < 2) {
      s.setErrors({ displayName: t('errors.fieldRequired') });
      s.failed();
      return;
    }
    void s.run(async () =>
      onDone(name.trim() === user.displayName ? null : await api.updateUser(user.id, { displayName: name.trim() })),
    );
  }
  return (
    <form onSubmit={submit} noValidate className="subform" ref={s.formRef}>
      <ErrorAlert error={s.error} />
      <TextField
        id="user-rename"
        label={t('users.displayName')}
        value={name}
        onChange={setName}
        error={s.errors.displayName}
        required
        maxLength={120}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={s.busy}>
          {t('common.save')}
        </button>
        <button type="button" className="button secondary" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function AddMembership({ userId, onAdded }: { userId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const roles = useGrantableRoles();
  const [value, setValue] = useState<MembershipValue>({ ...emptyMembership, role: roles[0] ?? 'caregiver' });
  const s = useSubmit();
  const choosesOrganization = me.membership.organizationId === null;

  function submit(e: FormEvent) {
    e.preventDefault();
    const errs = membershipErrors(value, choosesOrganization, t('errors.fieldRequired'));
    s.setErrors(errs);
    if (Object.keys(errs).length > 0) {
      s.failed();
      return;
    }
    void s.run(async () => {
      await api.addMembership(userId, membershipBody(value));
      onAdded();
    });
  }

  return (
    <form onSubmit={submit} noValidate className="subform" ref={s.formRef}>
      <h3 id="add-membership-title">{t('users.addMembership')}</h3>
      <ErrorAlert error={s.error} />
      <MembershipFields idPrefix="membership-add" value={value} onChange={setValue} errors={s.errors} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={s.busy}>
          {t('users.addMembership')}
        </button>
      </div>
    </form>
  );
}
