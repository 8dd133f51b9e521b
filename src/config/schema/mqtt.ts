/** The MQTT bridge: where the broker is and what solowatch publishes there (docs/HOME_ASSISTANT.md). */
import Type, { type Static } from 'typebox';
import { DEFAULT_MQTT } from '../../mqtt/settings.js';

// A topic level path: no wildcards, no empty levels, no slash at either end.
const TOPIC_PATH = '^[^#+/\\s]+(/[^#+/\\s]+)*$';
const topicPath = (description: string) =>
  Type.String({
    pattern: TOPIC_PATH,
    maxLength: 200,
    'x-expected': 'topic levels separated by /, without + or # or spaces',
    description,
  });

export const MqttConfigSchema = Type.Object(
  {
    url: Type.String({
      pattern: '^mqtts?://\\S+$',
      'x-expected': 'a URL like mqtt://127.0.0.1:1883',
      'x-secret': true,
      description: 'The broker. Messages name it without a password.',
    }),
    username: Type.Optional(Type.String({ minLength: 1, description: 'Login at the broker.' })),
    password: Type.Optional(
      Type.String({ minLength: 1, 'x-secret': true, description: 'Password of `username`.' }),
    ),
    baseTopic: Type.Optional(topicPath(`Prefix of every topic (${DEFAULT_MQTT.baseTopic}).`)),
    homeAssistant: Type.Optional(
      Type.Boolean({
        description: `Publish Home Assistant discovery configs (${DEFAULT_MQTT.homeAssistant}).`,
      }),
    ),
    discoveryPrefix: Type.Optional(
      topicPath(`Home Assistant's discovery prefix (${DEFAULT_MQTT.discoveryPrefix}).`),
    ),
    commands: Type.Optional(
      Type.Boolean({
        description: `Offer a restart button and a pause switch on \`<baseTopic>/<minerId>/<command>/set\` (${DEFAULT_MQTT.commands}).`,
      }),
    ),
    dashboardUrl: Type.Optional(
      Type.String({
        pattern: '^https?://\\S+$',
        'x-expected': 'a URL like http://solowatch.local:8080',
        description:
          "Base of each device's link to its solowatch page in Home Assistant; unset: the address the server listens on.",
      }),
    ),
  },
  { additionalProperties: false, 'x-expected': 'an object like { url: "mqtt://127.0.0.1:1883" }' },
);

export type MqttConfigSection = Static<typeof MqttConfigSchema>;

export const mqttSettings = {
  // Not schema `default`s inside: ajv cannot fill one in inside a union (mqtt may be null).
  mqtt: Type.Union([MqttConfigSchema, Type.Null()], {
    default: null,
    description:
      'The MQTT bridge for Home Assistant, e.g. `{ url: mqtt://127.0.0.1:1883, commands: true }`; null publishes nothing.',
  }),
};
