/** Records an event: emitted live at once, written to storage in the background. */
import type { EventRecord, Severity, Storage } from '../storage/Storage.js';
import type { Background } from './Background.js';
import type { EventHub } from './EventHub.js';
import type { MonitorClock } from './timers.js';

export class EventLog {
  readonly #storage: Pick<Storage, 'recordEvent'>;
  readonly #hub: EventHub;
  readonly #background: Background;
  readonly #clock: MonitorClock;

  constructor(deps: {
    storage: Pick<Storage, 'recordEvent'>;
    hub: EventHub;
    background: Background;
    clock: MonitorClock;
  }) {
    this.#storage = deps.storage;
    this.#hub = deps.hub;
    this.#background = deps.background;
    this.#clock = deps.clock;
  }

  record(
    minerId: string | null,
    type: string,
    severity: Severity,
    message: string,
    data: Readonly<Record<string, unknown>> = {},
  ): void {
    const event: EventRecord = {
      minerId,
      type,
      severity,
      message,
      timestamp: this.#clock.now(),
      data: { ...data },
    };
    this.#hub.emit({ type: 'event', event });
    this.#background.track(this.#storage.recordEvent(event));
  }
}
