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

/** The COPY binary header (signature, no flags, no extension); returns where the rows start. */
function writeHeader(buffer: Buffer): number {
  const at = SIGNATURE.copy(buffer, 0);
  buffer.writeInt32BE(0, at); // flags: no OIDs
  buffer.writeInt32BE(0, at + 4); // no header extension
  return at + 8;
}

/** An int8 field (length and value) at `at`; returns the offset after it. */
function writeInt8Field(buffer: Buffer, value: number, at: number): number {
  // As two halves: Buffer has no 64-bit integer write that takes a Number.
  const high = Math.floor(value / TWO_TO_32);
  buffer.writeInt32BE(8, at);
  buffer.writeInt32BE(high, at + 4);
  buffer.writeUInt32BE(value - high * TWO_TO_32, at + 8);
  return at + 12;
}

/** A float8 field, or a NULL, at `at`; returns the offset after it. */
function writeFloat8Field(buffer: Buffer, value: number | null, at: number): number {
  if (value === null) {
    buffer.writeInt32BE(-1, at);
    return at + 4;
  }
  buffer.writeInt32BE(8, at);
  buffer.writeDoubleBE(value, at + 4);
  return at + 12;
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
  const buffer = Buffer.allocUnsafe(SIGNATURE.length + 8 + records.length * MAX_ROW_BYTES + 2);
  let at = writeHeader(buffer);
  for (const record of records) {
    buffer.writeInt16BE(FIELDS_PER_ROW, at);
    buffer.writeInt32BE(4, at + 2);
    buffer.writeInt32BE(seriesOf(record), at + 6);
    at = writeInt8Field(buffer, record.timestamp, at + 10);
    for (const field of METRIC_FIELDS) at = writeFloat8Field(buffer, record[field], at);
    buffer.writeInt32BE(1, at);
    buffer.writeUInt8(record.backfilled ? 1 : 0, at + 4);
    at += 5;
  }
  buffer.writeInt16BE(-1, at); // trailer
  return buffer.subarray(0, at + 2);
}

/** Fields per rollup row: series, bucket, samples, then count, sum, min, max per metric. */
const ROLLUP_FIELDS = 3 + METRIC_FIELDS.length * 4;
const MAX_ROLLUP_ROW_BYTES = 2 + (4 + 4) + (4 + 8) + (4 + 4) + METRIC_FIELDS.length * (4 + 4 + 3 * (4 + 8));

/**
 * The buckets of `rollups` (drained) as COPY binary input for the columns (series integer, bucket
 * bigint, samples integer, then per metric n integer, sum, min, max double precision).
 */
export function rollupCopyData(rollups: RollupAccumulator): Buffer {
  const buffer = Buffer.allocUnsafe(SIGNATURE.length + 8 + rollups.size * MAX_ROLLUP_ROW_BYTES + 2);
  let at = writeHeader(buffer);
  rollups.drain((row) => {
    buffer.writeInt16BE(ROLLUP_FIELDS, at);
    buffer.writeInt32BE(4, at + 2);
    buffer.writeInt32BE(row[0] as number, at + 6);
    at = writeInt8Field(buffer, row[1] as number, at + 10);
    buffer.writeInt32BE(4, at);
    buffer.writeInt32BE(row[2] as number, at + 4);
    at += 8;
    for (let i = 3; i < row.length; i += 4) {
      buffer.writeInt32BE(4, at);
      buffer.writeInt32BE(row[i] as number, at + 4);
      at = writeFloat8Field(buffer, row[i + 1] as number, at + 8);
      at = writeFloat8Field(buffer, row[i + 2] as number | null, at);
      at = writeFloat8Field(buffer, row[i + 3] as number | null, at);
    }
  });
  buffer.writeInt16BE(-1, at); // trailer
  return buffer.subarray(0, at + 2);
}
