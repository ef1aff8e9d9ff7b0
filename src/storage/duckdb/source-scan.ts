// One streaming pass over a source file before DuckDB reads it: its sha256 and size, the
// file-level checks (empty, binary, not UTF-8, not the declared format, a quote left open, a
// header with no records) and, for CSV, where each record starts — so that quarantined rows
// carry the file's real line numbers even when quoted values span lines or blank lines occur.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { DataFormat } from '../../domain/datasets.js';
import { ValidationError } from '../../domain/errors.js';

/**
 * A point where the numbering of records shifts: record `o` (1-based, header excluded) starts
 * on physical line `p`, which DuckDB's CSV reader calls line `d` (it counts a quoted value
 * spanning lines as one line). Between breakpoints all three advance together.
 */
export interface LineBreakpoint {
  o: number;
  d: number;
  p: number;
}

export interface SourceScan {
  bytes: number;
  sha256: string;
  /** CSV: the header's column names. */
  header?: string[];
  /** CSV and JSONL: the records found (CSV: after the header; blank lines are not records). */
  records?: number;
  /** CSV: breakpoints of the record → line mapping (the first record always has one). */
  breakpoints?: LineBreakpoint[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const MAX_HEADER_BYTES = 1 << 20;
const MAX_COLUMNS = 4096;
export const RESERVED_PREFIX = '__fw_';

function fileError(message: string, details: Record<string, unknown> = {}): ValidationError {
  return new ValidationError(message, { field: 'file', ...details });
}

const PARQUET_MAGIC = Buffer.from('PAR1');

/** Split a CSV header record into names (RFC 4180 quoting, "" escapes a quote). */
export function parseHeader(record: Buffer): string[] {
  let text = record.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r$/, '');
  const names: string[] = [];
  let cur = '';
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuote) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') inQuote = false;
      else cur += ch;
    } else if (ch === '"') inQuote = true;
    else if (ch === ',') {
      names.push(cur);
      cur = '';
    } else cur += ch;
  }
  names.push(cur);
  return names;
}

/** File-level checks of a header's names: present, unique, not reserved, bounded. */
export function checkColumnNames(names: string[]): void {
  if (names.length > MAX_COLUMNS) throw fileError(`the file has ${names.length} columns; at most ${MAX_COLUMNS} are supported`);
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name.trim() === '') throw fileError(`header column ${i + 1} has no name (a header row naming every column is required)`, { column: i + 1 });
    if (name.length > 255) throw fileError(`header column ${i + 1} has a name longer than 255 characters`, { column: i + 1 });
    if (name.startsWith(RESERVED_PREFIX)) throw fileError(`column name '${name}' is reserved (names may not start with ${RESERVED_PREFIX})`, { column: name });
    if (seen.has(name)) throw fileError(`column name '${name}' appears twice in the header`, { column: name });
    seen.add(name);
  });
}

/** The record scanner of CSV: quote-aware, counting physical and DuckDB lines. */
class CsvRecords {
  private inQuote = false;
  private quoteOpenedAt = 0;
  private phys = 1;
  private duck = 1;
  private content = false;
  private startPhys = 1;
  private startDuck = 1;
  private headerParts: Buffer[] | null = [];
  private headerBytes = 0;
  header?: string[];
  records = 0;
  breakpoints: LineBreakpoint[] = [];

  /**
   * Scan a chunk; with `untilHeader`, stop as soon as the header record is complete. The bytes
   * between the ones that matter (line feeds, quotes, the first byte of a record) are skipped
   * with Buffer.indexOf, so the scan runs at memory speed beside DuckDB's own read.
   */
  push(chunk: Buffer, untilHeader = false): void {
    let headerFrom = 0;
    let i = 0;
    let nextLf = -2;
    let nextQuote = -2;
    const n = chunk.length;
    while (i < n) {
      if (nextLf !== -1 && nextLf < i) nextLf = chunk.indexOf(LF, i);
      if (nextQuote !== -1 && nextQuote < i) nextQuote = chunk.indexOf(QUOTE, i);
      if (this.inQuote) {
        // Inside quotes only the closing quote matters; line feeds there are counted, not ends.
        const close = nextQuote === -1 ? n : nextQuote;
        while (nextLf !== -1 && nextLf < close) {
          this.phys++;
          nextLf = chunk.indexOf(LF, nextLf + 1);
        }
        if (nextQuote === -1) return;
        this.inQuote = false;
        i = nextQuote + 1;
        continue;
      }
      const stop = Math.min(nextLf === -1 ? n : nextLf, nextQuote === -1 ? n : nextQuote);
      if (!this.content) {
        // A record starts at its first byte that is not a carriage return (a quote counts).
        let j = i;
        while (j < stop && chunk[j] === CR) j++;
        if (j < stop || (j === stop && stop === nextQuote)) {
          this.content = true;
          this.startPhys = this.phys;
          this.startDuck = this.duck;
          if (this.headerParts) headerFrom = j;
        }
      }
      if (stop === n) break;
      if (stop === nextQuote) {
        this.inQuote = true;
        this.quoteOpenedAt = this.phys;
        i = stop + 1;
        continue;
      }
      // A line feed outside quotes.
      this.phys++;
      if (this.content) {
        if (this.headerParts) {
          this.collectHeader(chunk.subarray(headerFrom, stop));
          headerFrom = n;
        }
        this.endRecord();
        if (untilHeader && this.header) return;
      }
      this.duck++;
      this.content = false;
      i = stop + 1;
    }
    if (this.headerParts && this.content) this.collectHeader(chunk.subarray(headerFrom));
  }

  end(): void {
    if (this.inQuote) {
      throw fileError(`a quoted value opened on line ${this.quoteOpenedAt} is never closed (the file ends inside quotes)`, { line: this.quoteOpenedAt });
    }
    if (this.content) this.endRecord();
  }

  private collectHeader(part: Buffer): void {
    this.headerBytes += part.length;
    if (this.headerBytes > MAX_HEADER_BYTES) throw fileError('the header line is longer than 1 MiB');
    this.headerParts!.push(Buffer.from(part));
  }

  private endRecord(): void {
    if (this.headerParts) {
      this.header = parseHeader(Buffer.concat(this.headerParts));
      this.headerParts = null;
      return;
    }
    const o = ++this.records;
    const last = this.breakpoints[this.breakpoints.length - 1];
    if (!last || this.startDuck - last.d !== o - last.o || this.startPhys - last.p !== o - last.o) {
      this.breakpoints.push({ o, d: this.startDuck, p: this.startPhys });
    }
  }
}

/**
 * The header of a CSV file, read from its start only (undefined when the file has none, or it is
 * not text: the full scan then says why).
 */
export async function readCsvHeader(path: string): Promise<string[] | undefined> {
  const records = new CsvRecords();
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (chunk.includes(NUL)) return undefined;
      records.push(chunk, true);
      if (records.header) return records.header;
    }
    records.end();
    return records.header;
  } catch {
    return undefined;
  } finally {
    stream.destroy();
  }
}

/**
 * UTF-8 validation chunk by chunk without decoding: each chunk up to its last whole character is
 * checked natively, the bytes of a character cut by the chunk's end are carried to the next.
 */
class Utf8Check {
  private carry = Buffer.alloc(0);

  push(chunk: Buffer): boolean {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = wholeCharacters(bytes);
    this.carry = Buffer.from(bytes.subarray(cut));
    return isUtf8(bytes.subarray(0, cut));
  }

  /** False when the text ended inside a character. */
  end(): boolean {
    return this.carry.length === 0;
  }
}

/** The length of `bytes` without a trailing multi-byte character that is not complete. */
function wholeCharacters(bytes: Buffer): number {
  // A character is at most 4 bytes: look back at most 3 for the lead byte of the last one.
  for (let k = 1; k <= Math.min(3, bytes.length); k++) {
    const b = bytes[bytes.length - k];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: keep looking
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > k ? bytes.length - k : bytes.length;
  }
  return bytes.length; // only continuation bytes: let the check say they are invalid
}

/** Counts the non-blank lines of a JSON Lines file. */
class JsonlRecords {
  records = 0;
  private content = false;

  push(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === LF) {
        if (this.content) this.records++;
        this.content = false;
      } else if (b !== CR && b !== 0x20 && b !== 0x09) this.content = true;
    }
  }

  end(): void {
    if (this.content) this.records++;
  }
}

/**
 * Scan `path` declared as `format`; throws ValidationError (field `file`) on a file-level problem.
 * @example const scan = await scanSource('/tmp/up/source', 'csv') // { bytes, sha256, header, records, breakpoints }
 */
export async function scanSource(path: string, format: DataFormat): Promise<SourceScan> {
  const hash = createHash('sha256');
  const utf8 = new Utf8Check();
  const csv = format === 'csv' ? new CsvRecords() : undefined;
  const jsonl = format === 'jsonl' ? new JsonlRecords() : undefined;
  let bytes = 0;
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  const text = format !== 'parquet';

  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4 - head.length)]);
    tail = Buffer.concat([tail, chunk]).subarray(-4);
    if (text) {
      if (bytes === 0 && head.length >= 4 && head.equals(PARQUET_MAGIC)) {
        throw fileError(`the file is Parquet, not ${format.toUpperCase()}: declare format=parquet`, { format });
      }
      const nul = chunk.indexOf(NUL);
      if (nul >= 0) throw fileError(`the file is binary, not ${format.toUpperCase()} text (a NUL byte at offset ${bytes + nul})`, { format, offset: bytes + nul });
      if (!utf8.push(chunk)) {
        throw fileError(`the file is not UTF-8 text (an invalid byte sequence in bytes ${bytes}-${bytes + chunk.length}); save it as UTF-8`, { format });
      }
      csv?.push(chunk);
      jsonl?.push(chunk);
    }
    bytes += chunk.length;
  }
  const sha256 = hash.digest('hex');
  if (bytes === 0) throw fileError('the file is empty');
  if (text && !utf8.end()) {
    throw fileError('the file is not UTF-8 text (it ends inside a multi-byte character); save it as UTF-8', { format });
  }
  if (format === 'parquet') {
    if (bytes < 12 || !head.equals(PARQUET_MAGIC) || !tail.equals(PARQUET_MAGIC)) {
      throw fileError('the file is not Parquet (it lacks the PAR1 markers); declare format=csv or format=jsonl for text', { format });
    }
    return { bytes, sha256 };
  }
  if (csv) {
    csv.end();
    if (!csv.header) throw fileError('the file is empty (no header line)');
    checkColumnNames(csv.header);
    if (csv.records === 0) throw fileError('the file has a header but no records', { columns: csv.header });
    return { bytes, sha256, header: csv.header, records: csv.records, breakpoints: csv.breakpoints };
  }
  jsonl!.end();
  if (jsonl!.records === 0) throw fileError('the file is empty (no JSON lines)');
  return { bytes, sha256, records: jsonl!.records };
}
