/**
 * PostgreSQL's binary formats for what the write path sends: a float8[] parameter, and the
 * samples as COPY ... (FORMAT binary) input. The server then copies eight bytes per value
 * instead of parsing decimal text (the costliest part of reading a batch, for it and for this
 * process writing the text).
 */
import type { RollupAccumulator } from '../RollupAccumulator.js';
import { METRIC_FIELDS, type MetricRecord } from '../Storage.js';

const FLOAT8_OID = 701;
const TWO_TO_32 = 4_294_967_296;

/** A float8[] parameter in the binary array format (`pg` sends a Buffer as binary). */
export function float8Array(values: ArrayLike<number | null>): Buffer {
  const buffer = Buffer.allocUnsafe(20 + 12 * values.length);
  let hasNulls = 0;
  let at = 20;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i] as number | null;
    if (value === null) {
      hasNulls = 1;
      buffer.writeInt32BE(-1, at);
      at += 4;
    } else {
      buffer.writeInt32BE(8, at);
      buffer.writeDoubleBE(value, at + 4);
      at += 12;
    }
  }
  buffer.writeInt32BE(1, 0); // dimensions
  buffer.writeInt32BE(hasNulls, 4);
  buffer.writeInt32BE(FLOAT8_OID, 8);
  buffer.writeInt32BE(values.length, 12);
  buffer.writeInt32BE(1, 16); // lower bound
  return buffer.subarray(0, at);
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Writes COPY binary input into a buffer sized for the worst case. Through a DataView: its
 * setters compile to plain stores, where Buffer's write methods check every value's range (that
 * cost a quarter of the write path's own time per sample).
 */
class CopyWriter {
  readonly buffer: Buffer;
  readonly view: DataView;
  at: number;

  constructor(maxBytes: number) {
    this.buffer = Buffer.allocUnsafe(SIGNATURE.length + 8 + maxBytes + 2);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
    this.at = SIGNATURE.copy(this.buffer, 0);
    this.view.setInt32(this.at, 0); // flags: no OIDs
    this.view.setInt32(this.at + 4, 0); // no header extension
    this.at += 8;
  }

  row(fields: number): void {
    this.view.setInt16(this.at, fields);
    this.at += 2;
  }

  int4(value: number): void {
    this.view.setInt32(this.at, 4);
    this.view.setInt32(this.at + 4, value);
    this.at += 8;
  }

  int8(value: number): void {
    // As two halves: DataView's 64-bit setter takes a BigInt.
    const high = Math.floor(value / TWO_TO_32);
    this.view.setInt32(this.at, 8);
    this.view.setInt32(this.at + 4, high);
    this.view.setUint32(this.at + 8, value - high * TWO_TO_32);
    this.at += 12;
  }

  float8(value: number | null): void {
    if (value === null) {
      this.view.setInt32(this.at, -1);
      this.at += 4;
      return;
    }
    this.view.setInt32(this.at, 8);
    this.view.setFloat64(this.at + 4, value);
    this.at += 12;
  }

  bool(value: boolean): void {
    this.view.setInt32(this.at, 1);
    this.view.setUint8(this.at + 4, value ? 1 : 0);
    this.at += 5;
  }

  /** The input so far, with its trailer. */
  finish(): Buffer {
    this.view.setInt16(this.at, -1);
    return this.buffer.subarray(0, this.at + 2);
  }
}

/** Fields per row: series, ts, one per metric, backfilled. */
const FIELDS_PER_ROW = METRIC_FIELDS.length + 3;
const MAX_ROW_BYTES = 2 + (4 + 4) + (4 + 8) + METRIC_FIELDS.length * (4 + 8) + (4 + 1);

/**
 * The rows of `records` as COPY binary input for the columns (series integer, ts bigint, the
 * metric columns in METRIC_FIELDS order as double precision, backfilled boolean).
 */
export function metricsCopyData(
  records: readonly MetricRecord[],
  seriesOf: (record: MetricRecord) => number,
): Buffer {
  const out = new CopyWriter(records.length * MAX_ROW_BYTES);
  for (const record of records) {
    out.row(FIELDS_PER_ROW);
    out.int4(seriesOf(record));
    out.int8(record.timestamp);
    for (const field of METRIC_FIELDS) out.float8(record[field]);
    out.bool(record.backfilled);
  }
  return out.finish();
}

/** Fields per rollup row: series, bucket, samples, then count, sum, min, max per metric. */
const ROLLUP_FIELDS = 3 + METRIC_FIELDS.length * 4;
const MAX_ROLLUP_ROW_BYTES = 2 + (4 + 4) + (4 + 8) + (4 + 4) + METRIC_FIELDS.length * (4 + 4 + 3 * (4 + 8));

/**
 * The buckets of `rollups` (drained) as COPY binary input for the columns (series integer, bucket
 * bigint, samples integer, then per metric n integer, sum, min, max double precision).
 */
export function rollupCopyData(rollups: RollupAccumulator): Buffer {
  const out = new CopyWriter(rollups.size * MAX_ROLLUP_ROW_BYTES);
  rollups.drain((row) => {
    out.row(ROLLUP_FIELDS);
    out.int4(row[0] as number);
    out.int8(row[1] as number);
    out.int4(row[2] as number);
    for (let i = 3; i < row.length; i += 4) {
      out.int4(row[i] as number);
      out.float8(row[i + 1] as number);
      out.float8(row[i + 2] as number | null);
      out.float8(row[i + 3] as number | null);
    }
  });
  return out.finish();
}
