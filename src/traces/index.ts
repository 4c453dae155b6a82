export { DEFAULT_JOURNAL_PATH, Journal } from './journal.ts';
export type { TraceAttempt, TraceRecord, TraceStatus, TraceSummary } from './trace-record.ts';
export {
  type FlushResult,
  type RejectedTrace,
  type TraceSink,
  TraceWriter,
  type TraceWriterOptions,
} from './trace-writer.ts';
