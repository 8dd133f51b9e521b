/**
 * One interface for every notification channel. A notifier only turns a notification into an
 * HTTP request (a pure function, so one contract suite checks them all); the dispatcher sends it
 * with retries and the channel's own breaker.
 */
import type { AlertRecord } from '../../storage/Storage.js';
import type { AlertAction } from '../AlertEngine.js';

export interface Notification {
  readonly action: AlertAction;
  readonly alert: AlertRecord;
  /** The miner's display name, when the alert is about one. */
  readonly minerName: string | null;
}

export interface HttpRequestSpec {
  readonly method: 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body: unknown;
}

export interface Notifier {
  /** Unique among configured notifiers; names the breaker `notifier:<name>`. */
  readonly name: string;
  readonly kind: string;
  buildRequest(notification: Notification): HttpRequestSpec;
}

const ACTION_WORD: Readonly<Record<AlertAction, string>> = {
  opened: 'ALERT',
  reminder: 'STILL',
  cleared: 'RESOLVED',
};

/** A short title every channel uses: "[ALERT] critical: bitaxe-1 overheating". */
export function titleOf(notification: Notification): string {
  const { alert, action, minerName } = notification;
  const who = minerName === null ? '' : ` ${minerName}`;
  return `[${ACTION_WORD[action]}] ${alert.severity}:${who} ${alert.condition.replaceAll('_', ' ')}`;
}

export function textOf(notification: Notification): string {
  const { alert, action } = notification;
  if (action === 'cleared') return `Resolved: ${alert.message}`;
  if (action === 'reminder') return `Still going on (${alert.notifications} notices): ${alert.message}`;
  return alert.message;
}

export function checkUrl(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`Expected \`${name}\` to be a URL string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`Expected \`${name}\` to be a valid URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Expected \`${name}\` to be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`Expected \`${name}\` to be a non-empty string`);
  }
  return value;
}
