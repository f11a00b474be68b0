import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { actorOf, requestInfo, tenant, type App } from '../../core/http/context.ts';
import { inTenant, type Tx } from '../../core/db/tenant.ts';
import {
  Flow,
  FlowQuery,
  Output,
  OutputNorms,
  OutputNormsUpdate,
  OutputQuery,
  Staffing,
  StaffingCopy,
  StaffingParams,
  StaffingPut,
  StaffingQuery,
  SubmitBody,
  Submitted,
} from './reports.schema.ts';
import * as reports from './reports.service.ts';
import { outputCsv, outputPdf, outputXlsx } from './exports.ts';
import { REPORTS_AUDIT } from './reports.audit.ts';

/**
 * Reports read through the reporting pool (a read replica with REPORTING_DATABASE_URL, else the main database) in a
 * read-only transaction: a report can never write, and heavy reading stays off the intake connections. Reading
 * aggregates is not audited (no person is read; the audit row would need a write).
 */
function readReport<T>(app: App, req: FastifyRequest, work: (tx: Tx) => Promise<T>): Promise<T> {
  return inTenant(app.deps.db.reporting, actorOf(req), requestInfo(req), async (tx) => {
    await sql`set transaction read only`.execute(tx.db);
    return work(tx);
  });
}

const FILE_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

export async function reportRoutes(app: App) {
  app.get(
    '/api/reports/staffing',
    {
      config: { access: 'report:output', auditAction: REPORTS_AUDIT.staffingRead },
      schema: {
        tags: ['reports'],
        summary: "The organisation's FTE per module for a quarter, with the network's yearly norm per FTE",
        querystring: StaffingQuery,
        response: { 200: Staffing },
      },
    },
    (req) => readReport(app, req, (tx) => reports.readStaffing(tx, req.query.quarter, req.query.organizationId)),
  );

  app.put(
    '/api/reports/staffing',
    {
      config: { access: 'report:staffing', auditAction: REPORTS_AUDIT.staffingUpdate },
      schema: {
        tags: ['reports'],
        summary: 'Set the FTE (VTE) of one module for a quarter (organisation admin; audited)',
        body: StaffingPut,
        response: { 200: Staffing },
      },
    },
    (req) => tenant(app, req, (tx) => reports.putStaffing(tx, req.body)),
  );

  app.delete(
    '/api/reports/staffing/:quarter/:module',
    {
      config: { access: 'report:staffing', auditAction: REPORTS_AUDIT.staffingDelete },
      schema: {
        tags: ['reports'],
        summary: "Remove a module's FTE from a quarter (no staff any more): the output has no norm for it (audited)",
        params: StaffingParams,
        response: { 200: Staffing },
      },
    },
    (req) => tenant(app, req, (tx) => reports.deleteStaffing(tx, req.params)),
  );

  app.post(
    '/api/reports/staffing/copy-previous',
    {
      config: { access: 'report:staffing', auditAction: REPORTS_AUDIT.staffingCopy },
      schema: {
        tags: ['reports'],
        summary: "Copy the previous quarter's FTE into the modules this quarter has not set yet",
        body: StaffingCopy,
        response: { 200: Staffing },
      },
    },
    (req) => tenant(app, req, (tx) => reports.copyPreviousStaffing(tx, req.body.quarter)),
  );

  app.get(
    '/api/reports/output',
    {
      config: { access: 'report:output', auditAction: REPORTS_AUDIT.outputRead },
      schema: {
        tags: ['reports'],
        summary:
          'Quarterly output per module against the norm (FTE × norm ÷ 4); format=csv|xlsx|pdf gives the file. ' +
          'Network roles name the organisation and see small cells as "<5"',
        querystring: OutputQuery,
        response: { 200: Output },
      },
    },
    async (req, reply) => {
      const output = await readReport(app, req, (tx) => reports.readOutput(tx, req.query));
      const format = req.query.format ?? 'json';
      if (format === 'json') return output;
      const name = `output-${output.quarter}${output.version ? `-v${output.version}` : ''}.${format}`;
      const body =
        format === 'csv'
          ? Buffer.from(outputCsv(output), 'utf8')
          : format === 'xlsx'
            ? await outputXlsx(output)
            : await outputPdf(output);
      return reply
        .type(FILE_TYPES[format])
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('content-length', Buffer.byteLength(body))
        .send(body as never); // a file: Fastify sends a Buffer as it is, past the JSON serializer
    },
  );

  app.post(
    '/api/reports/output/submit',
    {
      config: { access: 'report:submit', auditAction: REPORTS_AUDIT.outputSubmit },
      schema: {
        tags: ['reports'],
        summary: 'Submit the quarter: freeze its figures as the next version (who, when) with the changes shown',
        body: SubmitBody,
        response: { 201: Submitted },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await tenant(app, req, (tx) => reports.submitOutput(tx, req.body.quarter))),
  );

  app.get(
    '/api/reports/norms',
    {
      config: { access: 'report:output' },
      schema: {
        tags: ['reports', 'network'],
        summary: "The network's yearly output norm per FTE per module, with the defaults (seed 000) and the range",
        response: { 200: OutputNorms },
      },
    },
    (req) => tenant(app, req, (tx) => reports.readNorms(tx)),
  );

  app.put(
    '/api/reports/norms',
    {
      config: { access: 'network-settings:manage', auditAction: REPORTS_AUDIT.normsUpdate },
      schema: {
        tags: ['reports', 'network'],
        summary: "Replace the network's yearly output norms per FTE (network admin; audited with old and new values)",
        body: OutputNormsUpdate,
        response: { 200: OutputNorms },
      },
    },
    (req) => tenant(app, req, (tx) => reports.updateNorms(tx, req.body, req.lang)),
  );

  app.get(
    '/api/reports/flow',
    {
      config: { access: 'report:flow', auditAction: REPORTS_AUDIT.flowRead },
      schema: {
        tags: ['reports'],
        summary:
          "The network's flow per month: inflow, referrals, declined (and why), outflow, waiting times (median, p90); " +
          'small cells as "<5"',
        querystring: FlowQuery,
        response: { 200: Flow },
      },
    },
    (req) => readReport(app, req, (tx) => reports.readFlow(tx, req.query)),
  );
}
