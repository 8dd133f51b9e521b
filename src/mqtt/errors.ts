/** Errors of the MQTT bridge, with a stable code; messages name the broker without its password. */

export type MqttErrorCode = 'MQTT_LOGIN_REFUSED' | 'MQTT_REFUSED' | 'MQTT_UNREACHABLE';

export class MqttError extends Error {
  override readonly name = 'MqttError';
  readonly code: MqttErrorCode;

  constructor(code: MqttErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

export function isMqttError(error: unknown): error is MqttError {
  return error instanceof MqttError;
}

/** The broker's URL as it may be shown and logged: any password in it is left out. */
export function brokerName(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'the MQTT broker (unreadable URL)';
  }
}

/**
 * CONNACK codes that mean "who you are is not accepted": MQTT 3.1.1 (4 bad user name or
 * password, 5 not authorized) and MQTT 5 (134 bad user name or password, 135 not authorized).
 */
const LOGIN_REFUSED = new Set([4, 5, 134, 135]);

/** Turns what MQTT.js reports into an error an operator can act on. */
export function describeConnectError(error: unknown, url: string, password: string | null): MqttError {
  const broker = brokerName(url);
  const code = (error as { code?: unknown } | null)?.code;
  let detail = error instanceof Error ? error.message : String(error);
  // Never echo a password, whatever a library put in its message.
  if (password !== null && password !== '') detail = detail.replaceAll(password, '***');
  if (typeof code === 'number' && LOGIN_REFUSED.has(code)) {
    return new MqttError('MQTT_LOGIN_REFUSED', `the MQTT broker ${broker} refused the login: ${detail}`, {
      cause: error,
    });
  }
  if (typeof code === 'number') {
    return new MqttError('MQTT_REFUSED', `the MQTT broker ${broker} refused the connection: ${detail}`, {
      cause: error,
    });
  }
  return new MqttError('MQTT_UNREACHABLE', `cannot reach the MQTT broker ${broker}: ${detail}`, {
    cause: error,
  });
}
