import { MeshError } from './mesh-error.js';

const SPACE = 0x20, TAB = 0x09, CR = 0x0d, LF = 0x0a, HASH = 0x23, SLASH = 0x2f, BACKSLASH = 0x5c;
const PLUS = 0x2b, MINUS = 0x2d, DOT = 0x2e, ZERO = 0x30, NINE = 0x39;

// Powers of ten that are exact in float64: m·10^k and m/10^k round correctly for m < 2^53 (Clinger's fast path).
const EXACT_POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Reads numbers and tokens from ASCII mesh files straight from the bytes, so files larger than
 * the longest JavaScript string still parse, and counts lines for error messages.
 */
export class TextScanner {
  /** Byte offset of the next unread byte. */
  pos: number;
  /** 1-based number of the line `pos` is on. */
  line: number;

  /**
   * @param bytes the file's bytes.
   * @param file the file name for error messages.
   * @param start byte offset to start reading at.
   * @param line 1-based number of the line `start` is on.
   * @param lineContinuation whether a backslash at the end of a line joins it with the next (OBJ).
   */
  constructor(readonly bytes: Uint8Array, readonly file: string, start = 0, line = 1, readonly lineContinuation = false) {
    this.pos = start;
    this.line = line;
  }

  /** Whether every byte has been read. */
  get atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** Skips spaces and tabs (and stray carriage returns) on the current line, and line continuations when they are on. */
  skipBlank(): void {
    const bytes = this.bytes;
    let pos = this.pos;
    while (pos < bytes.length) {
      const b = bytes[pos]!;
      if (b === SPACE || b === TAB || b === CR) {
        pos++;
        continue;
      }
      const end = b === BACKSLASH ? this.continuationEnd(pos) : -1;
      if (end < 0) break;
      // A backslash at the very end of the file continues onto no line.
      if (bytes[end - 1] === LF) this.line++;
      pos = end;
    }
    this.pos = pos;
  }

  /** Where the line continuation starting at `pos` ends (past its line end), or −1 when there is none there. */
  private continuationEnd(pos: number): number {
    const bytes = this.bytes;
    if (!this.lineContinuation || bytes[pos] !== BACKSLASH) return -1;
    let next = pos + 1;
    if (bytes[next] === CR) next++;
    if (next >= bytes.length) return next;
    return bytes[next] === LF ? next + 1 : -1;
  }

  /** Skips blanks; true when the line has nothing more (end of line, end of file or a `#` comment). */
  atLineEnd(): boolean {
    this.skipBlank();
    if (this.pos >= this.bytes.length) return true;
    const b = this.bytes[this.pos]!;
    return b === LF || b === HASH;
  }

  /** Moves past the end of the current line (and the lines it continues onto, when continuations are on). */
  nextLine(): void {
    const bytes = this.bytes;
    let start = this.pos, end = bytes.indexOf(LF, start);
    // A comment ends at its line end even after a backslash, so a note such as `# from C:\scans\` cannot swallow the next record.
    while (end >= 0 && this.continuationEnd(end - (bytes[end - 1] === CR ? 2 : 1)) === end + 1 && bytes.subarray(start, end).indexOf(HASH) < 0) {
      start = end + 1;
      end = bytes.indexOf(LF, start);
      this.line++;
    }
    this.pos = end < 0 ? bytes.length : end + 1;
    this.line++;
  }

  /** Skips whitespace and newlines, and `#` comments when `comments` is set. */
  skipSpace(comments: boolean): void {
    const bytes = this.bytes;
    while (this.pos < bytes.length) {
      const b = bytes[this.pos]!;
      if (b === LF) {
        this.pos++;
        this.line++;
      } else if (b === SPACE || b === TAB || b === CR) this.pos++;
      else if (comments && b === HASH) this.nextLine();
      else break;
    }
  }

  /** The next token on the current line as a string ('' at the end of the line). */
  token(): string {
    this.skipBlank();
    const start = this.pos;
    this.skipToken();
    return latin1(this.bytes, start, this.pos);
  }

  private skipToken(): void {
    const bytes = this.bytes;
    let pos = this.pos;
    while (pos < bytes.length) {
      const b = bytes[pos]!;
      if (b === SPACE || b === TAB || b === CR || b === LF || (b === BACKSLASH && this.continuationEnd(pos) >= 0)) break;
      pos++;
    }
    this.pos = pos;
  }

  /** Reads a decimal number; `nan` and `inf` give non-finite values so callers can name the vertex. */
  readNumber(): number {
    this.skipBlank();
    const bytes = this.bytes, start = this.pos;
    let pos = start;
    let negative = false;
    if (bytes[pos] === MINUS || bytes[pos] === PLUS) negative = bytes[pos++] === MINUS;
    let mantissa = 0, significant = 0, exponent = 0, digits = 0;
    let b = bytes[pos]!;
    while (b >= ZERO && b <= NINE) {
      if (mantissa > 0 || b !== ZERO) significant++;
      mantissa = mantissa * 10 + (b - ZERO);
      digits++;
      b = bytes[++pos]!;
    }
    if (b === DOT) {
      b = bytes[++pos]!;
      while (b >= ZERO && b <= NINE) {
        if (mantissa > 0 || b !== ZERO) significant++;
        mantissa = mantissa * 10 + (b - ZERO);
        exponent--;
        digits++;
        b = bytes[++pos]!;
      }
    }
    if (digits > 0 && (b === 0x65 || b === 0x45)) {
      let e = 0, eNegative = false, eDigits = 0;
      b = bytes[++pos]!;
      if (b === MINUS || b === PLUS) {
        eNegative = b === MINUS;
        b = bytes[++pos]!;
      }
      while (b >= ZERO && b <= NINE) {
        e = e * 10 + (b - ZERO);
        eDigits++;
        b = bytes[++pos]!;
      }
      if (eDigits === 0) return this.slowNumber(start);
      exponent += eNegative ? -e : e;
    }
    const delimited = pos >= bytes.length || b === SPACE || b === TAB || b === CR || b === LF || b === SLASH || (b === BACKSLASH && this.continuationEnd(pos) >= 0);
    if (digits === 0 || !delimited || significant > 15 || exponent > 22 || exponent < -22) return this.slowNumber(start);
    this.pos = pos;
    const value = exponent < 0 ? mantissa / EXACT_POW10[-exponent]! : mantissa * EXACT_POW10[exponent]!;
    return negative ? -value : value;
  }

  private slowNumber(start: number): number {
    this.pos = start;
    this.skipToken();
    let end = this.pos;
    const slash = this.bytes.subarray(start, end).indexOf(SLASH);
    if (slash >= 0) end = this.pos = start + slash;
    const text = latin1(this.bytes, start, end);
    const value = Number(text);
    if (text !== '' && !Number.isNaN(value)) return value;
    if (NON_FINITE.test(text)) return text.toLowerCase().includes('nan') ? NaN : text.startsWith('-') ? -Infinity : Infinity;
    throw this.error('PARSE', text === '' ? 'expected a number, found the end of the line' : `expected a number, found "${clip(text)}"`);
  }

  /** Reads a whole number (for counts and indices); anything else is a PARSE error. */
  readInteger(what: string): number {
    const value = this.readNumber();
    if (!Number.isInteger(value)) throw this.error('PARSE', `expected ${what} (a whole number), found ${value}`);
    return value;
  }

  /** Skips the rest of an OBJ index group such as `/2/3` after its vertex index. */
  skipSlashes(): void {
    this.skipToken();
  }

  /** A PARSE-style error at the current line. */
  error(code: 'PARSE' | 'INDEX_OUT_OF_RANGE' | 'NAN_POSITION', detail: string): MeshError {
    return new MeshError(code, this.file, `line ${this.line}: ${detail}`);
  }
}

/** Bytes [start, end) as a string, one character per byte. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i += 4096) {
    text += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 4096)));
  }
  return text;
}

/**
 * A (latin1-decoded) token for an error message: at most `length` characters, and anything but
 * printable ASCII (and `"`, `\`) as `\xNN`, so a binary file cannot garble the terminal.
 */
export function clip(text: string, length = 40): string {
  let out = '';
  for (const char of text.slice(0, length)) {
    const code = char.charCodeAt(0);
    out += code < 0x20 || code > 0x7e || char === '"' || char === '\\' ? `\\x${code.toString(16).padStart(2, '0')}` : char;
  }
  return text.length > length ? `${out}…` : out;
}
