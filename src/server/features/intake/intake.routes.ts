import { Type } from '@sinclair/typebox';
import { tenant, type App } from '../../core/http/context.ts';
import { notFound } from '../../core/http/errors.ts';
import { IdParams, Strict } from '../../core/http/schemas.ts';
import { INSTRUMENTS, instrumentById } from '../instruments/index.ts';
import { toQuestionnaire, toQuestionnaireResponse } from '../instruments/index.ts';
import type { Answers } from '../instruments/index.ts';
import {
  ChoiceRequest,
  CloseRequest,
  HelpRequestCreate,
  HelpRequestDetail,
  HelpRequestDto,
  HelpRequestList,
  HelpRequestQuery,
  HelpRequestUpdate,
  InstrumentList,
  MatchList,
  OpenSafetySignalList,
  Questionnaire,
  QuestionnaireResponse,
  SafetyAction,
  SafetySignalCreate,
  SafetySignalDto,
  ScreeningCreate,
  ScreeningList,
  ScreeningResult,
} from './intake.schema.ts';
import * as intake from './intake.service.ts';
import { INTAKE_AUDIT } from './intake.audit.ts';

const InstrumentParams = Strict({ instrument: Type.String({ maxLength: 40 }) });

export async function intakeRoutes(app: App) {
  app.get(
    '/api/instruments',
    {
      config: { access: 'instrument:read' },
      schema: {
        tags: ['intake'],
        summary: 'The screening instruments: items, answer values and scores, bands, flags, citation, licence',
        response: { 200: InstrumentList },
      },
    },
    async () => ({ items: [...INSTRUMENTS] }),
  );

  app.get(
    '/api/instruments/:instrument/fhir',
    {
      config: { access: 'instrument:read' },
      schema: {
        tags: ['intake', 'fhir'],
        summary: 'An instrument as a FHIR R4 Questionnaire',
        params: InstrumentParams,
        response: { 200: Questionnaire },
      },
    },
    async (req) => {
      const def = instrumentById.get(req.params.instrument);
      if (!def) throw notFound();
      return toQuestionnaire(def);
    },
  );

  app.get(
    '/api/help-requests',
    {
      config: { access: 'help-request:read' },
      schema: {
        tags: ['intake'],
        summary: 'Help requests of my organisation',
        querystring: HelpRequestQuery,
        response: { 200: HelpRequestList },
      },
    },
    (req) => tenant(app, req, async (tx) => ({ items: await intake.listHelpRequests(tx, req.query) })),
  );

  app.post(
    '/api/help-requests',
    {
      config: { access: 'help-request:write', auditAction: INTAKE_AUDIT.helpRequestCreate },
      schema: {
        tags: ['intake'],
        summary: 'Register a help request (hulpvraag) for a client or an anonymous person',
        body: HelpRequestCreate,
        response: { 201: HelpRequestDto },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await tenant(app, req, async (tx) => intake.toHelpRequestDto(await intake.createHelpRequest(tx, req.body))),
        ),
  );

  app.get(
    '/api/help-requests/:id',
    {
      config: { access: 'help-request:read', auditAction: INTAKE_AUDIT.helpRequestRead, record: 'help-request' },
      schema: {
        tags: ['intake'],
        summary: 'A help request with its screenings and safety signals (audited)',
        params: IdParams,
        response: { 200: HelpRequestDetail },
      },
    },
    (req) => tenant(app, req, (tx) => intake.readHelpRequest(tx, req.params.id, req.lang)),
  );

  app.patch(
    '/api/help-requests/:id',
    {
      config: { access: 'help-request:write', auditAction: INTAKE_AUDIT.helpRequestUpdate, record: 'help-request' },
      schema: {
        tags: ['intake'],
        summary:
          'Clarify a help request or record the indication (with reasons when it differs from the level the scores suggest)',
        params: IdParams,
        body: HelpRequestUpdate,
        response: { 200: HelpRequestDto },
      },
    },
    (req) => tenant(app, req, (tx) => intake.updateHelpRequest(tx, req.params.id, req.body)),
  );

  app.post(
    '/api/help-requests/:id/close',
    {
      config: { access: 'help-request:write', auditAction: INTAKE_AUDIT.helpRequestClose, record: 'help-request' },
      schema: {
        tags: ['intake'],
        summary:
          'Close without referral (refused for a referred request, and while a high risk has no recorded safety action)',
        params: IdParams,
        body: CloseRequest,
        response: { 200: HelpRequestDto },
      },
    },
    (req) => tenant(app, req, (tx) => intake.closeHelpRequest(tx, req.params.id, req.body.reason)),
  );

  app.post(
    '/api/help-requests/:id/screenings',
    {
      config: { access: 'help-request:write', auditAction: INTAKE_AUDIT.screeningCreate, record: 'help-request' },
      schema: {
        tags: ['intake'],
        summary: 'Administer an instrument; answers are scored and safety signals raised',
        params: IdParams,
        body: ScreeningCreate,
        response: { 201: ScreeningResult },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => intake.addScreening(tx, req.params.id, req.body, req.lang))),
  );

  app.get(
    '/api/screenings/:id/fhir',
    {
      config: { access: 'help-request:read', auditAction: INTAKE_AUDIT.screeningRead, record: 'screening' },
      schema: {
        tags: ['intake', 'fhir'],
        summary: 'A screening as a FHIR R4 QuestionnaireResponse',
        params: IdParams,
        response: { 200: QuestionnaireResponse },
      },
    },
    (req) =>
      tenant(app, req, async (tx) => {
        const row = await intake.readScreening(tx, req.params.id);
        const def = instrumentById.get(row.instrument_id)!;
        return toQuestionnaireResponse(def, {
          id: row.id,
          answers: row.answers as Answers,
          score: row.score,
          band: row.band,
          missing: row.missing,
          imputed: row.imputed,
          administeredAt: row.administered_at,
          helpRequestId: row.help_request_id,
        });
      }),
  );

  app.get(
    '/api/clients/:id/screenings',
    {
      config: { access: 'help-request:read', auditAction: INTAKE_AUDIT.clientScreeningsRead, record: 'client' },
      schema: {
        tags: ['intake'],
        summary: "A returning person's screening history (for the chart)",
        params: IdParams,
        response: { 200: ScreeningList },
      },
    },
    (req) => tenant(app, req, (tx) => intake.clientScreeningHistory(tx, req.params.id, req.lang)),
  );

  app.post(
    '/api/help-requests/:id/safety-signals',
    {
      config: { access: 'help-request:write', auditAction: INTAKE_AUDIT.safetySignalRaise, record: 'help-request' },
      schema: {
        tags: ['intake'],
        summary: 'Raise a safety signal by hand (family violence, unsafe home, …)',
        params: IdParams,
        body: SafetySignalCreate,
        response: { 201: SafetySignalDto },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => intake.raiseSignal(tx, req.params.id, req.body))),
  );

  app.post(
    '/api/safety-signals/:id/action',
    {
      config: { access: 'help-request:write', auditAction: INTAKE_AUDIT.safetySignalAction, record: 'safety-signal' },
      schema: {
        tags: ['intake'],
        summary: 'Record the safety action taken',
        params: IdParams,
        body: SafetyAction,
        response: { 200: SafetySignalDto },
      },
    },
    (req) => tenant(app, req, (tx) => intake.recordSafetyAction(tx, req.params.id, req.body.actionTaken)),
  );

  app.post(
    '/api/safety-signals/:id/acknowledge',
    {
      config: {
        access: 'safety:acknowledge',
        auditAction: INTAKE_AUDIT.safetySignalAcknowledge,
        record: 'safety-signal',
      },
      schema: {
        tags: ['intake'],
        summary:
          'The team lead acknowledges a signal (it leaves the dashboard; a high risk only once its safety action is recorded)',
        params: IdParams,
        response: { 200: SafetySignalDto },
      },
    },
    (req) => tenant(app, req, (tx) => intake.acknowledgeSignal(tx, req.params.id)),
  );

  app.get(
    '/api/safety-signals',
    {
      config: { access: 'safety:acknowledge' },
      schema: {
        tags: ['intake'],
        summary: 'Open safety signals of my organisation (team lead dashboard; audited per person; without the notes)',
        response: { 200: OpenSafetySignalList },
      },
    },
    (req) => tenant(app, req, (tx) => intake.openSignals(tx)),
  );

  app.get(
    '/api/help-requests/:id/matches',
    {
      config: { access: 'help-request:read', auditAction: INTAKE_AUDIT.helpRequestMatches, record: 'help-request' },
      schema: {
        tags: ['intake'],
        summary: 'Offers ranked by fit (stepped care), with reasons, misfits and what helps while waiting',
        params: IdParams,
        response: { 200: MatchList },
      },
    },
    (req) => tenant(app, req, (tx) => intake.computeMatches(tx, req.params.id, req.lang)),
  );

  app.post(
    '/api/help-requests/:id/choice',
    {
      config: { access: 'help-request:write', auditAction: INTAKE_AUDIT.helpRequestChoice, record: 'help-request' },
      schema: {
        tags: ['intake'],
        summary:
          "Record the worker's choice (a reason when it differs from the top suggestion that was shown: send its id as topSuggestionOfferId)",
        params: IdParams,
        body: ChoiceRequest,
        response: { 200: HelpRequestDto },
      },
    },
    (req) => tenant(app, req, (tx) => intake.recordChoice(tx, req.params.id, req.body, req.lang)),
  );
}
