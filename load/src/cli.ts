/** `pnpm load -- [options]`: parses the options, runs, prints the summary, exits 0 (clean), 1 (lost/duplicated) or 2 (usage). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileLimitProblem, readFileLimits } from './file-limit';
import { helpText, parseOptions, UsageError } from './options';
import { runLoad } from './run';
import { exitCode, summaryJson, summaryText } from './summary';

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (options.help) {
    console.log(helpText());
    return 0;
  }
  const limits = readFileLimits();
  const problem =
    limits &&
    fileLimitProblem({
      streams: options.users * options.connections,
      workers: options.workers,
      serverProcesses: options['start-server'] ? options['server-processes'] : 0,
      ...limits,
    });
  if (problem) {
    console.error(problem);
    return 2;
  }
  const result = await runLoad(options);
  console.log(summaryText(result));
  if (options.json) {
    // pnpm runs the script in load/; paths are meant from where the command was typed.
    const path = resolve(process.env.INIT_CWD ?? process.cwd(), options.json);
    writeFileSync(path, `${JSON.stringify(summaryJson(result), null, 2)}\n`);
  }
  return exitCode(result);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(3);
  },
);
