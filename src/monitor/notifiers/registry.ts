/** Notifier kinds by name: configuration picks a factory, never an if-chain. */
import { DiscordNotifier, type DiscordNotifierConfig } from './DiscordNotifier.js';
import type { Notifier } from './Notifier.js';
import { NtfyNotifier, type NtfyNotifierConfig } from './NtfyNotifier.js';
import { type ChannelRouting, type Route, resolveRoute } from './routing.js';
import { TelegramNotifier, type TelegramNotifierConfig } from './TelegramNotifier.js';
import { WebhookNotifier, type WebhookNotifierConfig } from './WebhookNotifier.js';

/** A channel's configuration: its kind's own fields, plus which alerts it takes (ChannelRouting). */
export type NotifierConfig = (
  | WebhookNotifierConfig
  | NtfyNotifierConfig
  | TelegramNotifierConfig
  | DiscordNotifierConfig
) &
  ChannelRouting;

export type NotifierKind = NotifierConfig['kind'];

type Factory = (config: NotifierConfig) => Notifier;

export const NOTIFIER_FACTORIES: Readonly<Record<NotifierKind, Factory>> = Object.freeze({
  webhook: (config) => new WebhookNotifier(config as WebhookNotifierConfig),
  ntfy: (config) => new NtfyNotifier(config as NtfyNotifierConfig),
  telegram: (config) => new TelegramNotifier(config as TelegramNotifierConfig),
  discord: (config) => new DiscordNotifier(config as DiscordNotifierConfig),
});

/** Builds one notifier from its configuration; throws naming the unknown kind or bad field. */
export function createNotifier(config: NotifierConfig): Notifier {
  const factory = (NOTIFIER_FACTORIES as Record<string, Factory | undefined>)[String(config?.kind)];
  if (factory === undefined) {
    throw new TypeError(
      `Unknown notifier kind ${JSON.stringify(config?.kind)}; expected one of ${Object.keys(NOTIFIER_FACTORIES).join(', ')}`,
    );
  }
  return factory(config);
}

/** Builds all notifiers, refusing two with the same name (they would share a breaker). */
export function createNotifiers(configs: readonly NotifierConfig[]): Notifier[] {
  const seen = new Set<string>();
  return configs.map((config) => {
    const notifier = createNotifier(config);
    if (seen.has(notifier.name)) {
      throw new TypeError(
        `Two notifiers are named ${JSON.stringify(notifier.name)}; give each a unique \`name\``,
      );
    }
    seen.add(notifier.name);
    return notifier;
  });
}

/** The notifiers and, by channel name, the routing each one's configuration asks for. */
export function createChannels(configs: readonly NotifierConfig[]): {
  notifiers: Notifier[];
  routes: Record<string, Route>;
} {
  const notifiers = createNotifiers(configs);
  const routes: Record<string, Route> = {};
  configs.forEach((config, i) => {
    const name = (notifiers[i] as Notifier).name;
    try {
      routes[name] = resolveRoute(config);
    } catch (error) {
      throw new TypeError(`Notifier ${JSON.stringify(name)}: ${(error as Error).message}`);
    }
  });
  return { notifiers, routes };
}
