/** Shared by the deployment checks: where things are, and small parsers. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dockerfilePath = join(repoRoot, 'Dockerfile');
export const dockerignorePath = join(repoRoot, '.dockerignore');
export const composePath = join(repoRoot, 'docker-compose.yml');
export const opentofuDir = join(repoRoot, 'infra', 'opentofu');
export const bundleScript = join(repoRoot, 'infra', 'docker', 'bundle.sh');
export const configSourcePath = join(repoRoot, 'apps', 'server', 'src', 'config.ts');

/** The environment variables the server reads (the keys of its config schema), plus NODE_ENV. */
export function serverEnvNames(): Set<string> {
  const source = readFileSync(configSourcePath, 'utf8');
  // The schema's keys are the only UPPER_CASE object keys in that file.
  const names = [...source.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s/gm)].map((m) => m[1] as string);
  if (names.length < 5) throw new Error(`could not read the variable names from ${configSourcePath}`);
  return new Set([...names, 'NODE_ENV']);
}

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ENV, ... */
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  const lines = text.split('\n');
  let current: Instruction | undefined;
  lines.forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!current) {
      if (line.trim() === '' || line.trimStart().startsWith('#')) return;
      const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(line);
      if (!match) throw new Error(`Dockerfile line ${index + 1}: cannot parse ${JSON.stringify(line)}`);
      current = { keyword: (match[1] as string).toUpperCase(), args: '', line: index + 1 };
      const rest = match[2] as string;
      current.args = rest.endsWith('\\') ? rest.slice(0, -1) : rest;
      if (!rest.endsWith('\\')) {
        instructions.push(current);
        current = undefined;
      }
      return;
    }
    if (line.trimStart().startsWith('#')) return;
    const continued = line.endsWith('\\');
    current.args = `${current.args} ${(continued ? line.slice(0, -1) : line).trim()}`.trim();
    if (!continued) {
      instructions.push(current);
      current = undefined;
    }
  });
  if (current) instructions.push(current);

  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} before FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** `["a", "b"]` (exec form) as an array; anything else is an error. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
    throw new Error(`not an exec-form JSON array: ${args}`);
  }
  return parsed;
}

/** ENV instructions of a stage, `KEY=value` pairs (the form this repository uses). */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const pair of i.args.split(/\s+/).filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`ENV on line ${i.line}: use KEY=value, not ${pair}`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}

/** The image's start-up: the runtime stage's WORKDIR, ENV, USER, CMD, HEALTHCHECK. */
export function runtimeStage(): {
  stage: Stage;
  workdir: string;
  env: Record<string, string>;
  cmd: string[];
  user: string | undefined;
  healthcheck: string[];
} {
  const stages = parseDockerfile(readFileSync(dockerfilePath, 'utf8'));
  const stage = stages.at(-1);
  if (!stage) throw new Error('Dockerfile has no stage');
  const last = (keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;
  const workdir = last('WORKDIR');
  const cmd = last('CMD');
  const health = last('HEALTHCHECK');
  if (!workdir || !cmd || !health) throw new Error('the runtime stage needs WORKDIR, CMD and HEALTHCHECK');
  const healthCmd = /\bCMD\s+(\[.*\])\s*$/.exec(health)?.[1];
  if (!healthCmd) throw new Error(`HEALTHCHECK must use CMD in exec form: ${health}`);
  return {
    stage,
    workdir,
    env: stageEnv(stage),
    cmd: execForm(cmd),
    user: last('USER'),
    healthcheck: execForm(healthCmd),
  };
}
