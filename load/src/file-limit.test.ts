import { describe, expect, it } from 'vitest';
import { ceilingConnections, fileLimitProblem, readFileLimits } from './file-limit';

describe('fileLimitProblem', () => {
  const base = { streams: 20_000, workers: 2, serverProcesses: 1, soft: 20_000, hard: 20_000 };
  it('refuses 20,000 streams on one server process with a limit of 20,000, and says what to do', () => {
    expect(fileLimitProblem(base)).toBe(
      "20,000 streams need about 20,500 open files in each server process, over this shell's limit of 20,000: the hard limit is 20,000: spread the streams (more --workers, --server-processes).",
    );
    expect(fileLimitProblem({ ...base, hard: 65_536 })).toContain('raise it first (ulimit -n 20500)');
  });
  it('accepts the same run on two server processes, or against a server elsewhere with enough workers', () => {
    expect(fileLimitProblem({ ...base, serverProcesses: 2 })).toBeNull();
    expect(fileLimitProblem({ ...base, serverProcesses: 0 })).toBeNull();
    expect(fileLimitProblem({ ...base, serverProcesses: 0, workers: 1 })).toContain('in each worker');
  });
  it('opens the bare-ws ceiling on as many connections as its one server process may hold', () => {
    expect(ceilingConnections(20_000, { soft: 20_000 })).toBe(19_500);
    expect(ceilingConnections(1_000, { soft: 20_000 })).toBe(1_000);
    expect(ceilingConnections(20_000, null)).toBe(20_000);
  });
  it("reads this process's limits", () => {
    const limits = readFileLimits();
    if (process.platform === 'linux') expect(limits?.soft).toBeGreaterThan(0);
  });
});
