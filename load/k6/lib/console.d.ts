/** k6 provides `console` globally; @types/k6 does not declare it. */
declare const console: {
  log(...args: unknown[]): void;
  error(...args: unknown[]): void;
};
