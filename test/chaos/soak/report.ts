/** The soak's report: what ran, on what, the figures, and each check with its value. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly value: string;
}

export interface SoakReport {
  readonly startedAt: string;
  readonly command: string;
  readonly machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  readonly settings: Readonly<Record<string, number>>;
  readonly groups: { healthy: number; flaky: number; outage: number };
  readonly faultsUsed: readonly string[];
  readonly figures: Readonly<Record<string, unknown>>;
  readonly timeline: readonly Readonly<Record<string, number>>[];
  readonly checks: readonly Check[];
  readonly passed: boolean;
}

export function renderMarkdown(report: SoakReport): string {
  const lines = [
    `# Soak ${report.passed ? 'passed' : 'FAILED'} (${report.startedAt})`,
    '',
    `Command: \`${report.command}\``,
    `Machine: ${report.machine.cpus} cores (${report.machine.cpuModel}), ${report.machine.memoryGb} GB, Node ${report.machine.node}, ${report.machine.platform}`,
    `Fleet: ${report.groups.healthy} healthy, ${report.groups.flaky} flaky, ${report.groups.outage} with an outage; faults: ${report.faultsUsed.join(', ')}`,
    `Settings: ${Object.entries(report.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '',
    '| check | result | value |',
    '| --- | --- | --- |',
    ...report.checks.map(
      (c) => `| ${c.name} | ${c.ok ? 'ok' : '**FAIL**'} | ${c.value.replace(/\|/g, '\\|')} |`,
    ),
    '',
    '## Figures',
    '',
    '```json',
    JSON.stringify(report.figures, null, 2),
    '```',
    '',
    '## Timeline (app ticks)',
    '',
    ...timelineTable(report.timeline),
    '',
  ];
  return lines.join('\n');
}

function timelineTable(rows: readonly Readonly<Record<string, number>>[]): string[] {
  const first = rows[0];
  if (first === undefined) return ['(no ticks)'];
  const columns = Object.keys(first);
  return [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((c) => String(row[c] ?? '')).join(' | ')} |`),
  ];
}
