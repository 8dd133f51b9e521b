/** Telegram Bot API: sendMessage to one chat. */
import {
  checkString,
  checkUrl,
  type HttpRequestSpec,
  type Notification,
  type Notifier,
  textOf,
  titleOf,
} from './Notifier.js';

export interface TelegramNotifierConfig {
  readonly kind: 'telegram';
  readonly name?: string;
  readonly botToken: string;
  readonly chatId: string | number;
  /** @default 'https://api.telegram.org' */
  readonly apiBase?: string;
}

export class TelegramNotifier implements Notifier {
  readonly kind = 'telegram';
  readonly name: string;
  readonly #url: string;
  readonly #chatId: string | number;

  constructor(config: TelegramNotifierConfig) {
    this.name = checkString('name', config.name ?? 'telegram');
    const token = checkString('botToken', config.botToken);
    if (typeof config.chatId !== 'number' && (typeof config.chatId !== 'string' || config.chatId === '')) {
      throw new TypeError('Expected `chatId` to be a chat id (number or non-empty string)');
    }
    this.#chatId = config.chatId;
    const base = checkUrl('apiBase', config.apiBase ?? 'https://api.telegram.org').replace(/\/+$/, '');
    this.#url = `${base}/bot${token}/sendMessage`;
  }

  buildRequest(notification: Notification): HttpRequestSpec {
    return {
      method: 'POST',
      url: this.#url,
      headers: { 'content-type': 'application/json' },
      body: {
        chat_id: this.#chatId,
        // Plain text: miner names and pool URLs must not be parsed as markup.
        text: `${titleOf(notification)}\n${textOf(notification)}`,
        disable_web_page_preview: true,
      },
    };
  }
}
