/** A drift report as the event the log keeps and the alert engine raises (`settings_drift`). */
import type { EventRecord } from '../../storage/Storage.js';
import type { DriftReport } from './DesiredState.js';

export function driftEvent(report: DriftReport, label: string, now: number): EventRecord {
  const what = report.drift
    .map((d) => `${d.field} is ${JSON.stringify(d.got)}, wanted ${JSON.stringify(d.wanted)}`)
    .join('; ');
  const security = report.security ? ' Security: its pool was changed by someone else.' : '';
  const revert = report.enforce === 'revert' ? ' Writing the desired settings back.' : '';
  return {
    minerId: report.minerId,
    type: 'settings_drift',
    severity: report.security ? 'critical' : 'warning',
    message: `${label}: settings differ from the desired state: ${what}.${security}${revert}`,
    timestamp: now,
    data: { drift: report.drift, security: report.security, enforce: report.enforce },
  };
}
