/**
 * cgminer and its forks write JSON that strict parsers refuse; every tool that reads them repairs
 * the same few things first: the trailing NUL, `}{` between sections, `,}` / `,]`, and bare
 * `inf` / `-inf` / `nan` numbers (read as null). Repairs happen outside strings only, so a pool
 * URL or a message with such text is never changed.
 */

export type RepairKind = 'joined_sections' | 'trailing_comma' | 'non_finite';

export interface Repaired {
  readonly value: unknown;
  /** What had to be fixed, in order found (empty when the text was valid JSON). */
  readonly repairs: readonly RepairKind[];
}

const NON_FINITE = new Set(['inf', 'infinity', 'nan']);

/** Cuts at the first NUL: cgminer sends `strlen + 1` bytes, some forks add more after it. */
function stripNul(text: string): string {
  const at = text.indexOf('\u0000');
  return at === -1 ? text : text.slice(0, at);
}

/** The structural repairs, in one pass that knows when it is inside a string. */
export function repairJsonText(text: string): { text: string; repairs: RepairKind[] } {
  const repairs = new Set<RepairKind>();
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '}' || ch === ']') {
      // `,}` and `,]`: drop the comma (and the blanks after it) already written.
      const trimmed = out.replace(/,\s*$/, '');
      if (trimmed.length !== out.length) {
        repairs.add('trailing_comma');
        out = trimmed;
      }
      out += ch;
      i += 1;
      if (ch === '}') {
        let j = i;
        while (j < n && /\s/.test(text[j] as string)) j += 1;
        if (text[j] === '{') {
          repairs.add('joined_sections');
          out += ',';
        }
      }
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (j < n && /[A-Za-z]/.test(text[j] as string)) j += 1;
      const word = text.slice(i, j);
      if (NON_FINITE.has(word.toLowerCase())) {
        repairs.add('non_finite');
        out = out.replace(/[-+]$/, '');
        out += 'null';
      } else {
        out += word;
      }
      i = j;
      continue;
    }
    out += ch;
    i += 1;
  }
  return { text: out, repairs: [...repairs] };
}

/**
 * Parses a cgminer reply, repairing it when strict parsing fails. Throws the parser's
 * SyntaxError when even the repaired text is not JSON.
 */
export function parseCgminerJson(raw: string): Repaired {
  // The NUL is how every cgminer ends a reply, not a defect: it is cut without being reported.
  const text = stripNul(raw);
  try {
    return { value: JSON.parse(text), repairs: [] };
  } catch (strictError) {
    const repaired = repairJsonText(text);
    if (repaired.repairs.length === 0) throw strictError;
    return { value: JSON.parse(repaired.text), repairs: repaired.repairs };
  }
}
