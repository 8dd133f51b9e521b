/**
 * cgminer and its forks write JSON that strict parsers refuse; every tool that reads them repairs
 * the same few things first: the trailing NUL, `}{` between sections, `,}` / `,]`, bare
 * `inf` / `-inf` / `nan` numbers (read as null), bmminer's `[,{` (a comma before the first item),
 * and btminer's raw line breaks inside strings and its missing comma between two members
 * (`"Normal""temp0":`). Structural repairs happen outside strings only, so a pool URL or a
 * message with such text is never changed; inside strings only raw control characters are
 * escaped.
 */

export type RepairKind =
  | 'joined_sections'
  | 'trailing_comma'
  | 'leading_comma'
  | 'missing_comma'
  | 'raw_control_character'
  | 'non_finite';

export interface Repaired {
  readonly value: unknown;
  /** What had to be fixed, in order found (empty when the text was valid JSON). */
  readonly repairs: readonly RepairKind[];
}

const NON_FINITE = new Set(['inf', 'infinity', 'nan']);

const CONTROL_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Cuts at the first NUL: cgminer sends `strlen + 1` bytes, some forks add more after it. */
function stripNul(text: string): string {
  const at = text.indexOf('\u0000');
  return at === -1 ? text : text.slice(0, at);
}

/**
 * The repaired text, built piece by piece. It remembers where its last non-blank character is, so
 * looking back (`[,{`, `,}`) costs nothing: reading a character of a string being built by `+=`
 * flattens it, which made a long reply quadratic.
 */
class Output {
  readonly parts: string[] = [];
  #last = -1;

  push(piece: string): void {
    this.parts.push(piece);
    if (piece.trim() !== '') this.#last = this.parts.length - 1;
  }

  /** The last non-blank character written, or '' at the start. */
  lastChar(): string {
    const piece = this.parts[this.#last];
    return piece === undefined ? '' : (piece.trimEnd().at(-1) ?? '');
  }

  /** Removes the last non-blank piece (a comma, a sign) and the blanks after it. */
  dropLast(): void {
    this.parts.length = Math.max(this.#last, 0);
    this.#last = this.parts.length - 1;
    while (this.#last >= 0 && (this.parts[this.#last] as string).trim() === '') this.#last -= 1;
  }

  toString(): string {
    return this.parts.join('');
  }
}

/** The structural repairs, in one pass that knows when it is inside a string. */
export function repairJsonText(text: string): { text: string; repairs: RepairKind[] } {
  const repairs = new Set<RepairKind>();
  const out = new Output();
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === '"') {
      let j = i + 1;
      let token = '"';
      while (j < n && text[j] !== '"') {
        const c = text[j] as string;
        if (c === '\\') {
          token += text.slice(j, j + 2);
          j += 2;
        } else if (c < ' ') {
          // A raw line break or tab inside a string (btminer): JSON wants it escaped.
          repairs.add('raw_control_character');
          token += CONTROL_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
          j += 1;
        } else {
          token += c;
          j += 1;
        }
      }
      out.push(j < n ? `${token}"` : token);
      i = j + 1;
      // Two strings in a row where a comma belongs (btminer's `"Normal""temp0":`).
      let k = i;
      while (k < n && /\s/.test(text[k] as string)) k += 1;
      if (text[k] === '"') {
        repairs.add('missing_comma');
        out.push(',');
      }
      continue;
    }
    if (ch === ',' && out.lastChar() === '[') {
      // `[,{` (bmminer): a comma right after the opening bracket.
      repairs.add('leading_comma');
      i += 1;
      continue;
    }
    if (ch === '}' || ch === ']') {
      // `,}` and `,]`: drop the comma (and the blanks after it) already written.
      if (out.lastChar() === ',') {
        repairs.add('trailing_comma');
        out.dropLast();
      }
      out.push(ch);
      i += 1;
      if (ch === '}') {
        let j = i;
        while (j < n && /\s/.test(text[j] as string)) j += 1;
        if (text[j] === '{') {
          repairs.add('joined_sections');
          out.push(',');
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
        const sign = out.parts.at(-1);
        if (sign === '-' || sign === '+') out.dropLast();
        out.push('null');
      } else {
        out.push(word);
      }
      i = j;
      continue;
    }
    out.push(ch);
    i += 1;
  }
  return { text: out.toString(), repairs: [...repairs] };
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
