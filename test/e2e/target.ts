/** What the browser tests need from the app under test, whichever way it was started. */
export interface Target {
  /** The dashboard's URL, ending in `/`. */
  readonly url: string;
  /** A string that would be markup if rendered as HTML; some miner carries it as name/hostname. */
  readonly hostileText: string;
  hostileMinerId(): Promise<string>;
  anyMinerId(): Promise<string>;
  /** Drives some breaker open and returns its name. */
  openBreaker(): Promise<string>;
  close(): Promise<void>;
}
