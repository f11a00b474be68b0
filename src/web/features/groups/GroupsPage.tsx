import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, GROUP_AUDIENCES, isOneOf, TRAJECTORY_MODULES, type GroupCreate } from '../../api';
import { useAuth } from '../../auth';
import { ErrorAlert, Loading } from '../../components/Alerts';
import { Field, TextAreaField, TextField } from '../../components/Field';
import { formatDateTime } from '../../format';
import { useDocumentTitle, useLoad, useSubmit } from '../../hooks';
import { FiguresCard } from './FiguresCard';

/** The group planner: the organisation's groups, the figures of this quarter, and planning a new group. */
export function GroupsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useLoad(() => api.groups(), []);
  useDocumentTitle(t('groups.title'));
  const items = list.data?.items ?? [];

  return (
    <>
      <h1>{t('groups.title')}</h1>
      <FiguresCard />
      <section className="card" aria-labelledby="groups-list">
        <h2 id="groups-list">{t('groups.caption')}</h2>
        <ErrorAlert error={list.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <p className="empty" data-testid="groups-empty">
            {t('groups.empty')}
          </p>
        ) : (
          <table className="table" data-testid="groups-table">
            <caption className="visually-hidden">{t('groups.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('groups.titleField')}</th>
                <th scope="col">{t('groups.audience')}</th>
                <th scope="col">{t('groups.places')}</th>
                <th scope="col">{t('groups.waiting')}</th>
                <th scope="col">{t('groups.nextSession')}</th>
                <th scope="col">{t('groups.held')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((g) => (
                <tr key={g.id}>
                  <th scope="row">
                    <Link to={`/groups/${g.id}`}>{g.title}</Link>
                    {g.published && <span className="badge">{t('groups.published')}</span>}
                  </th>
                  <td>{t(`groups.audiences.${g.audience}`)}</td>
                  <td>
                    {g.capacity === null
                      ? t('groups.placesOpen', { registered: g.registered })
                      : t('groups.placesOf', { registered: g.registered, capacity: g.capacity })}
                  </td>
                  <td>{g.waiting}</td>
                  <td>{g.nextSessionAt ? formatDateTime(g.nextSessionAt) : t('groups.noNextSession')}</td>
                  <td>{g.sessionsHeld}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {can('group:write') && <NewGroupForm />}
    </>
  );
}

function NewGroupForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const themes = useLoad(() => api.themes(), []);
  const [title, setTitle] = useState('');
  const [audience, setAudience] = useState('');
  const [module, setModule] = useState('');
  const [theme, setTheme] = useState('');
  const [description, setDescription] = useState('');
  const [location, setLocation] = useState('');
  const [online, setOnline] = useState(false);
  const [capacity, setCapacity] = useState('');
  const { error, errors, busy, run, formRef } = useSubmit();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    // an empty choice is left out, so the server names it as missing
    const body = {
      title,
      audience: audience || undefined,
      module: module || null,
      theme: theme || null,
      description: description.trim() || null,
      location: location.trim() || null,
      online,
      capacity: capacity === '' ? null : Number(capacity),
    } as GroupCreate;
    void run(async () => {
      const { id } = await api.createGroup(body);
      navigate(`/groups/${id}`, { state: { flash: t('groups.created') } });
    });
  }

  return (
    <section className="card" aria-labelledby="group-new">
      <h2 id="group-new">{t('groups.new')}</h2>
      <form ref={formRef} onSubmit={submit} noValidate data-testid="group-form">
        <ErrorAlert error={error} />
        <TextField
          id="group-title"
          label={t('groups.titleField')}
          value={title}
          onChange={setTitle}
          required
          maxLength={200}
          error={errors.title}
        />
        <Field id="group-audience" label={t('groups.audience')} required error={errors.audience}>
          {(control) => (
            <select {...control} value={audience} onChange={(e) => setAudience(e.target.value)}>
              <option value="">—</option>
              {GROUP_AUDIENCES.map((a) => (
                <option key={a} value={a}>
                  {t(`groups.audiences.${a}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="group-module" label={t('groups.module')} error={errors.module}>
          {(control) => (
            <select {...control} value={module} onChange={(e) => setModule(e.target.value)}>
              <option value="">{t('groups.noChoice')}</option>
              {TRAJECTORY_MODULES.map((m) => (
                <option key={m} value={m}>
                  {isOneOf(TRAJECTORY_MODULES, m) ? t(`trajectories.modules.${m}`) : m}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="group-theme" label={t('groups.theme')} error={errors.theme}>
          {(control) => (
            <select {...control} value={theme} onChange={(e) => setTheme(e.target.value)}>
              <option value="">{t('groups.noChoice')}</option>
              {(themes.data?.items ?? []).map((term) => (
                <option key={term.id} value={term.id}>
                  {term.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextAreaField
          id="group-description"
          label={t('groups.description')}
          value={description}
          onChange={setDescription}
          maxLength={2000}
          rows={3}
          error={errors.description}
        />
        <TextField
          id="group-location"
          label={t('groups.location')}
          hint={t('groups.locationHint')}
          value={location}
          onChange={setLocation}
          maxLength={300}
          error={errors.location}
        />
        <div className="field">
          <label>
            <input type="checkbox" checked={online} onChange={(e) => setOnline(e.target.checked)} />{' '}
            {t('groups.online')}
          </label>
        </div>
        <TextField
          id="group-capacity"
          label={t('groups.capacity')}
          hint={t('groups.capacityHint')}
          type="number"
          inputMode="numeric"
          min={1}
          max={10000}
          value={capacity}
          onChange={setCapacity}
          error={errors.capacity}
          className="narrow"
        />
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {t('groups.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
