/** ntfy (https://ntfy.sh or self-hosted), published as JSON to the server's root URL. */
import type { Severity } from '../../storage/Storage.js';
import {
  checkString,
  checkUrl,
  type HttpRequestSpec,
  type Notification,
  type Notifier,
  textOf,
  titleOf,
} from './Notifier.js';

export interface NtfyNotifierConfig {
  readonly kind: 'ntfy';
  readonly name?: string;
  /** @default 'https://ntfy.sh' */
  readonly server?: string;
  readonly topic: string;
  /** An access token for protected topics. */
  readonly token?: string;
}

/** ntfy priorities: 5 max/urgent, 4 high, 3 default. */
const PRIORITY: Readonly<Record<Severity, number>> = { critical: 5, warning: 4, info: 3 };
const TAGS: Readonly<Record<Severity, string>> = {
  critical: 'rotating_light',
  warning: 'warning',
  info: 'information_source',
};

export class NtfyNotifier implements Notifier {
  readonly kind = 'ntfy';
  readonly name: string;
  readonly #server: string;
  readonly #topic: string;
  readonly #token: string | undefined;

  constructor(config: NtfyNotifierConfig) {
    this.name = checkString('name', config.name ?? 'ntfy');
    this.#server = checkUrl('server', config.server ?? 'https://ntfy.sh').replace(/\/+$/, '');
    this.#topic = checkString('topic', config.topic);
    this.#token = config.token === undefined ? undefined : checkString('token', config.token);
  }

  buildRequest(notification: Notification): HttpRequestSpec {
    const severity = notification.action === 'cleared' ? 'info' : notification.alert.severity;
    return {
      method: 'POST',
      url: `${this.#server}/`,
      headers: {
        'content-type': 'application/json',
        ...(this.#token === undefined ? {} : { authorization: `Bearer ${this.#token}` }),
      },
      body: {
        topic: this.#topic,
        title: titleOf(notification),
        message: textOf(notification),
        priority: PRIORITY[severity],
        tags: [notification.action === 'cleared' ? 'white_check_mark' : TAGS[severity]],
      },
    };
  }
}
