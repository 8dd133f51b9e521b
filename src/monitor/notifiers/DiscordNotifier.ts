/** Discord incoming webhook, one embed per notification. */
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

export interface DiscordNotifierConfig {
  readonly kind: 'discord';
  readonly name?: string;
  readonly webhookUrl: string;
  readonly username?: string;
}

const COLOR: Readonly<Record<Severity | 'resolved', number>> = {
  critical: 0xd32f2f,
  warning: 0xf9a825,
  info: 0x1976d2,
  resolved: 0x2e7d32,
};

export class DiscordNotifier implements Notifier {
  readonly kind = 'discord';
  readonly name: string;
  readonly #url: string;
  readonly #username: string;

  constructor(config: DiscordNotifierConfig) {
    this.name = checkString('name', config.name ?? 'discord');
    this.#url = checkUrl('webhookUrl', config.webhookUrl);
    this.#username = config.username === undefined ? 'solowatch' : checkString('username', config.username);
  }

  buildRequest(notification: Notification): HttpRequestSpec {
    const color = notification.action === 'cleared' ? COLOR.resolved : COLOR[notification.alert.severity];
    return {
      method: 'POST',
      url: this.#url,
      headers: { 'content-type': 'application/json' },
      body: {
        username: this.#username,
        // Never ping @everyone because a miner's name or message happened to contain it.
        allowed_mentions: { parse: [] },
        embeds: [
          {
            title: titleOf(notification).slice(0, 256),
            description: textOf(notification).slice(0, 4096),
            color,
            timestamp: new Date(
              notification.alert.lastNotifiedAt ?? notification.alert.openedAt,
            ).toISOString(),
          },
        ],
      },
    };
  }
}
