/** Flag parsers shared by several commands. */

/** A repeatable, comma-separated flag: `--tag a,b --tag c` is [a, b, c]. */
export const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== ''),
];
