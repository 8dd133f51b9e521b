import { type CommonDeviceOptions, prepare } from './common.js';
import {
  EspMinerControlState,
  espMinerControlRoute,
  NERDQAXE_FEATURES,
  overlayControlState,
} from './espMinerControl.js';
import { exposeHttpDevice, HttpDevice, type HttpReply, type HttpRequestInfo } from './httpDevice.js';
import { buildNerdQaxeInfo } from './nerdqaxeInfo.js';
import { scheduleReboot } from './restartFlow.js';
import type { SimulatedDevice } from './types.js';

export interface NerdQaxeDeviceOptions extends CommonDeviceOptions {
  /** Firmware version it reports. @default 'v1.0.36' */
  firmware?: string;
  /** @default 'NerdQAxe++' */
  deviceModel?: string;
}

const HISTORY_LIMIT = 1000;

/** Starts one NerdQAxe answering on HTTP; every answer closes its connection, as the firmware does. */
export async function startNerdQaxeDevice(options: NerdQaxeDeviceOptions = {}): Promise<SimulatedDevice> {
  const version = options.firmware ?? 'v1.0.36';
  const p = prepare({ asicCount: 4, ...options }, 'nerdqaxe', 'nerdqaxe');
  const { model } = p;
  const deviceModel = options.deviceModel ?? 'NerdQAxe++';
  const control = new EspMinerControlState(model);
  let device: HttpDevice | undefined;
  const route = (req: HttpRequestInfo): HttpReply | null => {
    if (req.method === 'GET' && req.path === '/api/system/info') {
      const ts = req.query.get('ts');
      const limit = Math.min(HISTORY_LIMIT, Number(req.query.get('limit') ?? HISTORY_LIMIT) || HISTORY_LIMIT);
      const history = ts !== null && Number.isFinite(Number(ts)) ? { ts: Number(ts), limit } : undefined;
      const info = buildNerdQaxeInfo({
        m: model,
        s: model.snapshot(),
        version,
        deviceModel,
        host: p.host,
        ...(history ? { history } : {}),
      });
      return { status: 200, json: overlayControlState(info, model, control, NERDQAXE_FEATURES) };
    }
    const controlReply = espMinerControlRoute(model, control, NERDQAXE_FEATURES, req);
    if (controlReply !== null) return controlReply;
    if (req.method === 'POST' && req.path === '/api/system/restart') {
      return {
        status: 200,
        text: 'System will restart shortly.',
        contentType: 'text/plain',
        afterSend: () => device && scheduleReboot(model, device.runtime, p.restartDelayMs),
      };
    }
    return null;
  };
  device = new HttpDevice({
    host: p.host,
    port: p.port,
    model,
    faults: p.faults,
    route,
    // The fork kept the catch-all redirect to the captive portal.
    unknownPath: 'redirect',
    closeEveryConnection: true,
    maxConnections: 20,
    responseDelayMs: p.responseDelayMs,
    authorization: p.authorization,
  });
  return exposeHttpDevice(device, p, 'nerdqaxe', version);
}
