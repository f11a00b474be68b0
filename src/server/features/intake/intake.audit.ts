/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const INTAKE_AUDIT = {
  clientScreeningsRead: 'client.screenings.read',
  helpRequestChoice: 'help-request.choice',
  helpRequestClose: 'help-request.close',
  helpRequestCreate: 'help-request.create',
  helpRequestMatches: 'help-request.matches',
  helpRequestRead: 'help-request.read',
  helpRequestUpdate: 'help-request.update',
  safetySignalAcknowledge: 'safety-signal.acknowledge',
  safetySignalAction: 'safety-signal.action',
  safetySignalRaise: 'safety-signal.raise',
  screeningCreate: 'screening.create',
  screeningRead: 'screening.read',
} as const;
