// The prediction log port (DESIGN.md "Prediction log"): serving appends predictions without
// touching the metadata database; the adapter batches them into its process's open segment,
// rolls segments into content-addressed Parquet and registers each one in the metadata store.
import type { PredictionBatch, PredictionRecord, PredictionSegment } from '../serving.js';

export interface PredictionLogWriter {
  /** Queue records for the open segment; returns at once (the file is written off the caller's path). */
  append(records: PredictionRecord[]): void;
  /** The same for a column-wise batch (the serving hot path: no object per row). */
  appendBatch(batch: PredictionBatch): void;
  /** Write and roll the open segment now and wait for every pending roll; answers the segments registered. */
  flush(): Promise<PredictionSegment[]>;
  /** Roll open files left by processes that are gone (a crash): nothing logged is lost. */
  recover(): Promise<PredictionSegment[]>;
  /** Rows appended but not yet in a registered segment. */
  pendingRows(): number;
  /** Flush, then stop timers; later appends throw. */
  close(): Promise<void>;
}

/** A logged prediction read back, with its inputs and probabilities parsed. */
export type LoggedPrediction = PredictionRecord;

export interface PredictionFilter {
  deploymentId?: string;
  from?: number;
  to?: number;
  /** Shadow models' outputs: left out by default ('exclude'), or 'include'd, or 'only' them. */
  shadow?: 'exclude' | 'include' | 'only';
}

export interface PredictionLogReader {
  /**
   * Read the predictions stored in `segments`, optionally of one deployment and with event time
   * in [from, to), ordered by event time then id (shadow outputs left out unless asked for).
   */
  read(
    segments: Array<Pick<PredictionSegment, 'artifact_sha256'>>,
    filter?: PredictionFilter,
  ): Promise<LoggedPrediction[]>;
  close(): Promise<void>;
}
