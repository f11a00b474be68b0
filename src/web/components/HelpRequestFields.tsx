import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  CHANNELS,
  LIFE_DOMAINS,
  MODALITIES,
  URGENCIES,
  type Channel,
  type HelpRequest,
  type HelpRequestInput,
  type LifeDomain,
  type Modality,
  type Urgency,
} from '../api';
import { OFFER_LANGUAGE_CODES, useLanguageName, useTaxonomy } from '../catalogue';
import { useLabels } from '../labels';
import { CheckboxGroup } from './CheckboxGroup';
import { Field, TextAreaField, TextField } from './Field';
import { MunicipalityField } from './MunicipalityCombobox';
import { RadioGroup } from './RadioGroup';

export interface HelpRequestValues {
  channel: Channel;
  story: string;
  context: string;
  lifeDomains: LifeDomain[];
  themes: string[];
  urgency: Urgency;
  clarification: string;
  age: string;
  municipality: string;
  language: string;
  preferredModality: Modality | '';
}

export type HelpRequestErrors = Partial<Record<keyof HelpRequestValues, string>>;

export function emptyHelpRequest(): HelpRequestValues {
  return {
    channel: 'self',
    story: '',
    context: '',
    lifeDomains: [],
    themes: [],
    urgency: 'routine',
    clarification: '',
    age: '',
    municipality: '',
    language: '',
    preferredModality: '',
  };
}

const pick = <T extends string>(list: readonly T[], value: string | null, fallback: T): T =>
  (list as readonly string[]).includes(value ?? '') ? (value as T) : fallback;

export function fromHelpRequest(h: HelpRequest): HelpRequestValues {
  return {
    channel: pick(CHANNELS, h.channel, 'other'),
    story: h.story,
    context: h.context ?? '',
    lifeDomains: h.lifeDomains.filter((d): d is LifeDomain => (LIFE_DOMAINS as readonly string[]).includes(d)),
    themes: h.themes,
    urgency: pick(URGENCIES, h.urgency, 'routine'),
    clarification: h.clarification ?? '',
    age: h.age === null ? '' : String(h.age),
    municipality: h.municipality ?? '',
    language: h.language ?? '',
    preferredModality: h.preferredModality ? pick<Modality | ''>(MODALITIES, h.preferredModality, '') : '',
  };
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

export function toHelpRequestInput(v: HelpRequestValues): HelpRequestInput {
  return {
    channel: v.channel,
    story: v.story.trim(),
    context: orNull(v.context),
    lifeDomains: v.lifeDomains,
    themes: v.themes,
    urgency: v.urgency,
    clarification: orNull(v.clarification),
    age: v.age.trim() === '' ? null : Number(v.age),
    municipality: orNull(v.municipality),
    language: orNull(v.language),
    preferredModality: v.preferredModality === '' ? null : v.preferredModality,
  };
}

export function validateHelpRequest(v: HelpRequestValues, t: TFunction): HelpRequestErrors {
  const errors: HelpRequestErrors = {};
  if (!v.story.trim()) errors.story = t('intake.storyRequired');
  if (v.age.trim() !== '' && !(/^\d{1,3}$/.test(v.age.trim()) && Number(v.age) <= 120))
    errors.age = t('intake.ageInvalid');
  return errors;
}

/** The names of the fields, for the list of server errors above a form. */
export function helpRequestFieldLabels(t: TFunction): Record<string, string> {
  return {
    channel: t('intake.channel'),
    story: t('intake.story'),
    context: t('intake.context'),
    lifeDomains: t('intake.lifeDomainsLabel'),
    themes: t('intake.themes'),
    urgency: t('intake.urgency'),
    clarification: t('intake.clarification'),
    age: t('intake.age'),
    municipality: t('intake.municipality'),
    language: t('intake.language'),
    preferredModality: t('intake.preferredModality'),
    clientId: t('intake.person'),
  };
}

interface Props {
  prefix: string;
  values: HelpRequestValues;
  set: <K extends keyof HelpRequestValues>(key: K, value: HelpRequestValues[K]) => void;
  errors: HelpRequestErrors;
  /** a client file is linked: empty age, municipality and language are taken from it */
  fromClient?: boolean;
}

/** The fields of a help request, shared by the intake (new) and the edit form on the help request. */
export function HelpRequestFields({ prefix: p, values, set, errors, fromClient }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  const taxonomy = useTaxonomy();
  const languageName = useLanguageName();
  const fromClientHint = fromClient ? t('intake.fromClientHint') : undefined;

  return (
    <>
      <div className="grid-2">
        <Field id={`${p}-channel`} label={t('intake.channel')} error={errors.channel}>
          {(control) => (
            <select {...control} value={values.channel} onChange={(e) => set('channel', e.target.value as Channel)}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {labels.channel(c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <RadioGroup
          id={`${p}-urgency`}
          legend={t('intake.urgency')}
          options={URGENCIES.map((u) => ({ value: u, label: labels.urgency(u) }))}
          value={values.urgency}
          onChange={(v) => set('urgency', v)}
          error={errors.urgency}
          hint={t('intake.urgencyHint')}
          inline
          required
        />
      </div>
      <TextAreaField
        id={`${p}-story`}
        label={t('intake.story')}
        hint={t('intake.storyHint')}
        value={values.story}
        onChange={(v) => set('story', v)}
        error={errors.story}
        rows={5}
        maxLength={20000}
        required
      />
      <TextAreaField
        id={`${p}-context`}
        label={t('intake.context')}
        hint={t('intake.contextHint')}
        value={values.context}
        onChange={(v) => set('context', v)}
        error={errors.context}
        rows={3}
        maxLength={10000}
      />
      <TextAreaField
        id={`${p}-clarification`}
        label={t('intake.clarification')}
        hint={t('intake.clarificationHint')}
        value={values.clarification}
        onChange={(v) => set('clarification', v)}
        error={errors.clarification}
        rows={3}
        maxLength={10000}
      />
      <CheckboxGroup
        id={`${p}-domains`}
        legend={t('intake.lifeDomainsLabel')}
        options={LIFE_DOMAINS.map((d) => ({ value: d, label: labels.lifeDomain(d) }))}
        selected={values.lifeDomains}
        onChange={(v) => set('lifeDomains', v as LifeDomain[])}
        error={errors.lifeDomains}
        className="columns"
      />
      <CheckboxGroup
        id={`${p}-themes`}
        legend={t('intake.themes')}
        hint={taxonomy.loading ? t('app.loading') : t('intake.themesHint')}
        options={taxonomy.themes.map((term) => ({ value: term.id, label: term.label }))}
        selected={values.themes}
        onChange={(v) => set('themes', v)}
        error={errors.themes}
        className="columns"
      />
      <div className="grid-2">
        <TextField
          id={`${p}-age`}
          label={t('intake.age')}
          type="number"
          inputMode="numeric"
          min={0}
          max={120}
          value={values.age}
          onChange={(v) => set('age', v)}
          error={errors.age}
          hint={fromClientHint}
          className="narrow"
        />
        <MunicipalityField
          id={`${p}-municipality`}
          label={t('intake.municipality')}
          value={values.municipality}
          onChange={(v) => set('municipality', v)}
          error={errors.municipality}
          hint={fromClientHint}
        />
        <Field id={`${p}-language`} label={t('intake.language')} error={errors.language} hint={fromClientHint}>
          {(control) => (
            <select {...control} value={values.language} onChange={(e) => set('language', e.target.value)}>
              <option value="">{t('clients.languageNone')}</option>
              {values.language && !OFFER_LANGUAGE_CODES.includes(values.language) && (
                <option value={values.language}>{languageName(values.language)}</option>
              )}
              {OFFER_LANGUAGE_CODES.map((code) => (
                <option key={code} value={code}>
                  {languageName(code)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={`${p}-modality`} label={t('intake.preferredModality')} error={errors.preferredModality}>
          {(control) => (
            <select
              {...control}
              value={values.preferredModality}
              onChange={(e) => set('preferredModality', e.target.value as Modality | '')}
            >
              <option value="">{t('intake.modalityNone')}</option>
              {MODALITIES.map((m) => (
                <option key={m} value={m}>
                  {labels.modality(m)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
    </>
  );
}
