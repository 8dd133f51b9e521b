/** The monitor's config keys (watchdog, proof of work, quiet hours, channel routing) read from a file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './loadConfig.js';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'solowatch-config-')), 'solowatch.yaml');
  writeFileSync(path, text);
  return path;
}

describe('config: the monitor keys', () => {
  it('reads watchdog, powHealth, quietHours and per-channel routing', async () => {
    const config = await loadConfig({
      env: {},
      flags: {
        config: file(`
watchdog: { enabled: true, maxRestartsPerHour: 1, cooldownMs: 900000 }
powHealth: { pValue: 1.0e-9 }
quietHours: { from: "22:00", to: "07:00", timeZone: UTC }
notifiers:
  - { kind: ntfy, topic: blocks, alerts: [block_found], minSeverity: info }
`),
      },
    });
    expect(config.watchdog).toEqual({ enabled: true, maxRestartsPerHour: 1, cooldownMs: 900_000 });
    expect(config.powHealth).toEqual({ pValue: 1e-9 });
    expect(config.quietHours).toEqual({ from: '22:00', to: '07:00', timeZone: 'UTC' });
    expect(config.notifiers[0]).toMatchObject({ alerts: ['block_found'], minSeverity: 'info' });
  });

  it('defaults: watchdog off, no quiet hours', async () => {
    const config = await loadConfig({ env: {}, flags: { config: file('port: 8080\n') } });
    expect(config.watchdog).toEqual({});
    expect(config.quietHours).toBeNull();
  });

  it.each([
    ['watchdog: { maxRestartsPerHour: 0 }', /watchdog.*maxRestartsPerHour/],
    ['watchdog: { enable: true }', /watchdog.*enable/],
    ['powHealth: { pValue: 2 }', /powHealth.*pValue/],
    ['quietHours: { from: "9pm", to: "07:00" }', /quietHours/],
    ['notifiers: [{ kind: ntfy, topic: x, minSeverity: loud }]', /notifiers.*minSeverity/],
  ])('refuses %s naming the key', async (text, message) => {
    await expect(loadConfig({ env: {}, flags: { config: file(`${text}\n`) } })).rejects.toThrow(message);
  });
});
