/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const OUTREACH_AUDIT = {
  signalCreate: 'outreach.signal.create',
  signalList: 'outreach.signal.list',
  signalRead: 'outreach.signal.read',
  /** the sender looked at the state of its signal */
  signalState: 'outreach.signal.state',
  attemptCreate: 'outreach.attempt.create',
  signalClose: 'outreach.signal.close',
  stats: 'outreach.stats',
  settingsUpdate: 'outreach.settings.update',
  retentionErase: 'outreach.retention.erase',
} as const;
