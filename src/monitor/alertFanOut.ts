/** Where an alert goes once the engine raised it: the live stream, and the notification channels. */
import type { AlertRecord } from '../storage/Storage.js';
import type { AlertAction } from './AlertEngine.js';
import type { EventHub } from './EventHub.js';
import type { Fleet } from './Fleet.js';
import type { NotificationDispatcher } from './notifiers/NotificationDispatcher.js';

export function alertFanOut(
  hub: EventHub,
  fleet: Pick<Fleet, 'get'>,
  notifications: Pick<NotificationDispatcher, 'dispatch'>,
): (action: AlertAction, alert: AlertRecord) => void {
  return (action, alert) => {
    hub.emit({ type: 'alert', action, alert });
    const minerName = alert.minerId === null ? null : (fleet.get(alert.minerId)?.record.name ?? null);
    notifications.dispatch({ action, alert, minerName });
  };
}
