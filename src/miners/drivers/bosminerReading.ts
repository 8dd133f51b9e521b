/**
 * Braiins OS (bosminer) keeps temperatures and fans out of `stats`, in two commands of its own:
 * `temps` (per board: "Board" is the PCB sensor, "Chip" the chip sensor, 0.0 where the board has
 * none, as on an S9) and `fans` (per fan: "RPM", and "Speed" in percent; slots without a fan
 * read 0 RPM).
 */
import { FieldReader, isRecord } from '../parse/FieldReader.js';
import { type HardwareReading, maxOrNull, mean, NO_HARDWARE_READING, sensor } from './hardwareReading.js';

function rows(
  data: Readonly<Record<string, unknown>> | undefined,
  section: string,
): Record<string, unknown>[] {
  const list = data?.[section];
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

export function readBosminer(
  temps: Readonly<Record<string, unknown>> | undefined,
  fans: Readonly<Record<string, unknown>> | undefined,
  warnings: string[],
): HardwareReading {
  const chips: number[] = [];
  const boards: number[] = [];
  for (const row of rows(temps, 'TEMPS')) {
    const r = new FieldReader(row, 'TEMPS.', warnings);
    const chip = r.number('Chip');
    const board = r.number('Board');
    if (sensor(chip)) chips.push(chip);
    if (sensor(board)) boards.push(board);
  }
  const fanRows = rows(fans, 'FANS').map((row) => new FieldReader(row, 'FANS.', warnings));
  const rpm = fanRows.map((r) => r.number('RPM')).filter((v): v is number => v !== null && v > 0);
  return {
    ...NO_HARDWARE_READING,
    temperatureC: mean(chips),
    maxChipTemperatureC: maxOrNull(chips),
    chipTemperaturesC: chips,
    boardTemperaturesC: boards,
    fanRpm: rpm,
    fanPercent: fanRows[0]?.number('Speed') ?? null,
  };
}
