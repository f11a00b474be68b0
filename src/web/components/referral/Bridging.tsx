import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Referral } from '../../api';
import { formatDateTime } from '../../format';
import { useLoad, useSubmit } from '../../hooks';
import { useLabels } from '../../labels';
import { ErrorAlert, Loading } from '../Alerts';
import { TextAreaField } from '../Field';
import { RadioGroup } from '../RadioGroup';

export function BridgingList({ referral: r }: { referral: Referral }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="bridging-title">
      <h2 id="bridging-title">{t('bridging.title')}</h2>
      <ArrangedList referral={r} />
    </section>
  );
}

function ArrangedList({ referral: r }: { referral: Referral }) {
  const { t } = useTranslation();
  if (r.bridgingSupport.length === 0) return <p className="empty">{t('bridging.none')}</p>;
  return (
    <ul className="list" data-testid="bridging-list">
      {r.bridgingSupport.map((b) => (
        <li key={b.id}>
          <span className="muted small">{formatDateTime(b.arrangedAt)}</span>{' '}
          {b.offerId && b.offerName && (
            <>
              <Link to={`/offers/${b.offerId}`}>{b.offerName}</Link>:{' '}
            </>
          )}
          <span className="prewrap">{b.note}</span>
        </li>
      ))}
    </ul>
  );
}

/** While the person waits, the sender arranges bridging support and records what it is. */
export function Bridging({
  referral: r,
  onDone,
}: {
  referral: Referral;
  onDone: (r: Referral, message: string) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <section className="card" aria-labelledby="bridging-title" data-testid="bridging">
      <div className="section-head">
        <h2 id="bridging-title">{t('bridging.title')}</h2>
        {r.status === 'waitlisted' && !open && (
          <button type="button" className="button primary" onClick={() => setOpen(true)}>
            {t('bridging.arrange')}
          </button>
        )}
      </div>
      <ArrangedList referral={r} />
      {open && (
        <BridgingForm
          referral={r}
          onCancel={() => setOpen(false)}
          onDone={(next) => {
            setOpen(false);
            onDone(next, t('bridging.saved'));
          }}
        />
      )}
    </section>
  );
}

function BridgingForm({
  referral: r,
  onCancel,
  onDone,
}: {
  referral: Referral;
  onCancel: () => void;
  onDone: (r: Referral) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const suggestions = useLoad(() => api.bridgingSuggestions(r.id), [r.id]);
  const [offerId, setOfferId] = useState<string>('');
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>(undefined);
  const { error, errors, busy, run, formRef, failed } = useSubmit();
  const NONE = 'none';

  function submit(e: FormEvent) {
    e.preventDefault();
    if (note.trim().length < 2) {
      setNoteError(t('bridging.noteRequired'));
      failed();
      return;
    }
    setNoteError(undefined);
    void run(async () => {
      onDone(await api.addBridging(r.id, { offerId: offerId && offerId !== NONE ? offerId : null, note: note.trim() }));
    });
  }

  return (
    <form onSubmit={submit} noValidate className="subform" ref={formRef}>
      <ErrorAlert error={error ?? suggestions.error} />
      {suggestions.loading && !suggestions.data && <Loading />}
      {suggestions.data && (
        <RadioGroup
          id="bridging-offer"
          legend={t('bridging.offer')}
          hint={suggestions.data.items.length === 0 ? t('bridging.noSuggestions') : t('bridging.offerHint')}
          options={[
            ...suggestions.data.items.map((s) => ({
              value: s.offerId,
              label: s.name,
              hint:
                `${s.organizationName} · ${labels.level(s.level)} · ${labels.capacity(s.capacity)}` +
                (s.waitDays ? ` · ${t('offers.waitDaysCount', { count: s.waitDays })}` : ''),
            })),
            { value: NONE, label: t('bridging.otherSupport') },
          ]}
          value={offerId}
          onChange={setOfferId}
          error={errors.offerId}
        />
      )}
      <TextAreaField
        id="bridging-note"
        label={t('bridging.note')}
        hint={t('bridging.noteHint')}
        value={note}
        onChange={setNote}
        error={noteError ?? errors.note}
        rows={3}
        maxLength={2000}
        required
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('bridging.save')}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
