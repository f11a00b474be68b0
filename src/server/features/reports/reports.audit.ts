/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const REPORTS_AUDIT = {
  staffingRead: 'report.staffing.read',
  staffingUpdate: 'report.staffing.update',
  staffingCopy: 'report.staffing.copy',
  staffingDelete: 'report.staffing.delete',
  outputRead: 'report.output.read',
  outputSubmit: 'report.output.submit',
  flowRead: 'report.flow.read',
  normsUpdate: 'report.norms.update',
} as const;
