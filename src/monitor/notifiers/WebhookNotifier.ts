/** A generic JSON webhook: the whole alert, for scripts and home-automation hubs. */
import {
  checkString,
  checkUrl,
  type HttpRequestSpec,
  type Notification,
  type Notifier,
  textOf,
  titleOf,
} from './Notifier.js';

export interface WebhookNotifierConfig {
  readonly kind: 'webhook';
  readonly name?: string;
  readonly url: string;
  /** Extra headers, for example an Authorization the receiver expects. */
  readonly headers?: Readonly<Record<string, string>>;
}

export class WebhookNotifier implements Notifier {
  readonly kind = 'webhook';
  readonly name: string;
  readonly #url: string;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(config: WebhookNotifierConfig) {
    this.name = checkString('name', config.name ?? 'webhook');
    this.#url = checkUrl('url', config.url);
    this.#headers = { ...(config.headers ?? {}) };
  }

  buildRequest(notification: Notification): HttpRequestSpec {
    return {
      method: 'POST',
      url: this.#url,
      headers: { 'content-type': 'application/json', ...this.#headers },
      body: {
        source: 'solowatch',
        action: notification.action,
        title: titleOf(notification),
        text: textOf(notification),
        minerName: notification.minerName,
        alert: notification.alert,
      },
    };
  }
}
