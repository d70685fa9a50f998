// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL and compose expressions, not JS templates
/**
 * infra/opentofu, checked without OpenTofu or a cloud: the HCL parses (with
 * HashiCorp's own parser compiled to WebAssembly), is formatted canonically,
 * every reference resolves, and the wiring keeps its promises: nothing public
 * but the load balancer, security groups open only what they must, secrets
 * only through Secrets Manager and never in an output, the bucket private and
 * the task role limited to it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from '@cdktf/hcl-tools';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../apps/server/src/config';
import { opentofuDir, runtimeStage, serverEnvNames } from './support';

// biome-ignore lint/suspicious/noExplicitAny: hcl2json returns untyped JSON
type Body = Record<string, any>;

interface Model {
  files: Record<string, string>;
  resources: Record<string, Record<string, Body>>;
  data: Record<string, Record<string, Body>>;
  variables: Record<string, Body>;
  outputs: Record<string, Body>;
  locals: Body;
}

async function loadModel(): Promise<Model> {
  const model: Model = { files: {}, resources: {}, data: {}, variables: {}, outputs: {}, locals: {} };
  for (const file of readdirSync(opentofuDir).filter((f) => f.endsWith('.tf'))) {
    const text = readFileSync(join(opentofuDir, file), 'utf8');
    model.files[file] = text;
    const json = (await parse(file, text)) as Body;
    for (const [kind, target] of [
      ['resource', model.resources],
      ['data', model.data],
    ] as const) {
      for (const [type, byName] of Object.entries((json[kind] ?? {}) as Body)) {
        for (const [name, blocks] of Object.entries(byName as Body)) {
          target[type] ??= {};
          if (target[type][name]) throw new Error(`${kind} ${type}.${name} is declared twice`);
          target[type][name] = (blocks as Body[])[0] as Body;
        }
      }
    }
    for (const [name, blocks] of Object.entries((json.variable ?? {}) as Body)) model.variables[name] = blocks[0];
    for (const [name, blocks] of Object.entries((json.output ?? {}) as Body)) model.outputs[name] = blocks[0];
    for (const block of (json.locals ?? []) as Body[]) Object.assign(model.locals, block);
  }
  return model;
}

let m: Model;
beforeAll(async () => {
  m = await loadModel();
});

const resource = (type: string, name: string): Body => {
  const body = m.resources[type]?.[name];
  if (!body) throw new Error(`resource ${type}.${name} is missing`);
  return body;
};
const all = (type: string): [string, Body][] => Object.entries(m.resources[type] ?? {});
const defaultOf = (variable: string): unknown => {
  const v = m.variables[variable];
  if (!v) throw new Error(`variable ${variable} is missing`);
  return v.default;
};
/** The HCL of every file without comments, for reference checks. */
const code = () =>
  Object.values(m.files)
    .join('\n')
    .split('\n')
    .filter((l) => !/^\s*(#|\/\/)/.test(l))
    .join('\n');
const flat = (value: unknown) => JSON.stringify(value);

describe('OpenTofu: files', () => {
  it('parses every .tf file and finds the resources of the stack', () => {
    expect(Object.keys(m.files).length).toBeGreaterThanOrEqual(5);
    for (const type of [
      'aws_vpc',
      'aws_subnet',
      'aws_nat_gateway',
      'aws_lb',
      'aws_lb_target_group',
      'aws_lb_listener',
      'aws_ecs_cluster',
      'aws_ecs_task_definition',
      'aws_ecs_service',
      'aws_db_instance',
      'aws_s3_bucket',
      'aws_s3_bucket_public_access_block',
      'aws_secretsmanager_secret',
      'aws_cloudwatch_log_group',
      'aws_ecr_repository',
      'aws_security_group',
    ]) {
      expect(Object.keys(m.resources), type).toContain(type);
    }
  });

  it('is formatted canonically (what `tofu fmt` would write)', async () => {
    for (const [file, text] of Object.entries(m.files)) {
      expect(await format(text), `${file} is not in canonical format`).toBe(text);
    }
  });

  const fmt = ['tofu', 'terraform'].find((tool) => spawnSync(tool, ['version']).status === 0);
  it.skipIf(!fmt)("passes `tofu fmt -check` (or terraform's; skipped where neither is installed)", () => {
    const result = spawnSync(fmt as string, ['fmt', '-check', '-recursive', '-diff', opentofuDir], {
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('resolves every var., local., resource and data reference, and uses every variable', () => {
    const text = code();
    const used = new Set([...text.matchAll(/\bvar\.([a-z0-9_]+)/g)].map((x) => x[1]));
    for (const name of used) expect(Object.keys(m.variables), `var.${name} is not declared`).toContain(name);
    for (const name of Object.keys(m.variables)) expect(used, `variable ${name} is never used`).toContain(name);

    const localNames = new Set(Object.keys(m.locals));
    for (const [, name] of text.matchAll(/\blocal\.([a-z0-9_]+)/g)) {
      expect(localNames, `local.${name} is not defined`).toContain(name);
    }
    for (const [, type, name] of text.matchAll(/(?<![\w.])((?:aws|random)_[a-z0-9_]+)\.([a-z0-9_]+)/g)) {
      expect(m.resources[type as string]?.[name as string], `${type}.${name} is not declared`).toBeDefined();
    }
    for (const [, type, name] of text.matchAll(/\bdata\.([a-z0-9_]+)\.([a-z0-9_]+)/g)) {
      expect(m.data[type as string]?.[name as string], `data.${type}.${name} is not declared`).toBeDefined();
    }
  });

  it('pins OpenTofu and the providers', () => {
    const versions = m.files['versions.tf'] ?? '';
    expect(versions).toMatch(/required_version\s*=\s*">= 1\.6/);
    expect(versions).toMatch(/source\s*=\s*"hashicorp\/aws"/);
    expect(versions).toMatch(/region\s*=\s*var\.region/);
  });

  it('has defaults for region, sizes and counts', () => {
    expect(defaultOf('region')).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    for (const name of ['task_cpu', 'task_memory', 'db_allocated_storage', 'az_count', 'desired_count']) {
      expect(defaultOf(name), name).toBeTypeOf('number');
    }
    expect(defaultOf('db_instance_class')).toMatch(/^db\./);
    expect(m.variables.region?.type).toBe('${string}');
  });
});

describe('OpenTofu: network', () => {
  it('spreads public and private subnets over at least two zones', () => {
    expect(defaultOf('az_count')).toBeGreaterThanOrEqual(2);
    expect(flat(m.variables.az_count?.validation)).toContain('var.az_count >= 2');
    for (const tier of ['public', 'private']) {
      const subnet = resource('aws_subnet', tier);
      expect(subnet.count).toBe('${var.az_count}');
      expect(subnet.vpc_id).toBe('${aws_vpc.main.id}');
      expect(subnet.map_public_ip_on_launch).toBe(false);
    }
  });

  it('routes public subnets to the internet gateway and private ones only through NAT', () => {
    const publicRoutes = resource('aws_route_table', 'public').route;
    expect(publicRoutes).toEqual([{ cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.main.id}' }]);
    const privateRoutes = resource('aws_route_table', 'private').route;
    expect(privateRoutes).toEqual([{ cidr_block: '0.0.0.0/0', nat_gateway_id: '${aws_nat_gateway.main.id}' }]);
    expect(resource('aws_route_table_association', 'public').subnet_id).toContain('aws_subnet.public[');
    expect(resource('aws_route_table_association', 'public').route_table_id).toBe('${aws_route_table.public.id}');
    expect(resource('aws_route_table_association', 'private').subnet_id).toContain('aws_subnet.private[');
    expect(resource('aws_route_table_association', 'private').route_table_id).toBe('${aws_route_table.private.id}');
    expect(resource('aws_nat_gateway', 'main').subnet_id).toContain('aws_subnet.public[');
  });

  it('puts nothing in the public subnets but the load balancer and the NAT gateway', () => {
    for (const [type, byName] of Object.entries(m.resources)) {
      for (const [name, body] of Object.entries(byName)) {
        if (!flat(body).includes('aws_subnet.public')) continue;
        expect(['aws_lb.main', 'aws_nat_gateway.main', 'aws_route_table_association.public']).toContain(
          `${type}.${name}`,
        );
      }
    }
    expect(Object.keys(m.resources)).not.toContain('aws_instance');
    expect(code()).not.toMatch(/associate_public_ip_address\s*=\s*true/);
  });
});

describe('OpenTofu: load balancer', () => {
  it('is internet-facing in the public subnets, with a WebSocket-friendly idle timeout', () => {
    const lb = resource('aws_lb', 'main');
    expect(lb.load_balancer_type).toBe('application');
    expect(lb.internal).toBe(false);
    expect(lb.subnets).toBe('${aws_subnet.public[*].id}');
    expect(lb.security_groups).toEqual(['${aws_security_group.alb.id}']);
    expect(lb.idle_timeout).toBe('${var.alb_idle_timeout}');
    expect(defaultOf('alb_idle_timeout')).toBeGreaterThanOrEqual(120);
    expect(flat(m.variables.alb_idle_timeout?.validation)).toContain('var.alb_idle_timeout >= 120');
  });

  it('checks the app on /healthz, on the app port', () => {
    const tg = resource('aws_lb_target_group', 'app');
    expect(tg.health_check[0].path).toBe('/healthz');
    expect(tg.health_check[0].matcher).toBe('200');
    expect(tg.port).toBe('${local.app_port}');
    expect(tg.target_type).toBe('ip');
    expect(m.locals.app_port).toBe(Number(runtimeStage().env.PORT));
  });

  it('serves HTTP on 80, and HTTPS on 443 only with a certificate (then HTTP redirects)', () => {
    expect(defaultOf('certificate_arn')).toBe('');
    expect(m.locals.https).toBe('${var.certificate_arn != ""}');
    const http = resource('aws_lb_listener', 'http');
    expect(http.port).toBe(80);
    expect(http.default_action[0].type).toBe('${local.https ? "redirect" : "forward"}');
    expect(flat(http.default_action[0].dynamic.redirect)).toContain('HTTPS');
    const https = resource('aws_lb_listener', 'https');
    expect(https.count).toBe('${local.https ? 1 : 0}');
    expect(https.port).toBe(443);
    expect(https.certificate_arn).toBe('${var.certificate_arn}');
    expect(https.default_action[0].target_group_arn).toBe('${aws_lb_target_group.app.arn}');
  });
});

describe('OpenTofu: security groups', () => {
  const rules = (kind: 'ingress' | 'egress', group: string) =>
    all(`aws_vpc_security_group_${kind}_rule`)
      .map(([, body]) => body)
      .filter((r) => r.security_group_id === `\${aws_security_group.${group}.id}`);

  it('declares rules only as separate resources (no inline or legacy rules to overlook)', () => {
    for (const [name, sg] of all('aws_security_group')) {
      expect(sg.ingress, `${name} inline ingress`).toBeUndefined();
      expect(sg.egress, `${name} inline egress`).toBeUndefined();
    }
    expect(Object.keys(m.resources)).not.toContain('aws_security_group_rule');
    expect(
      all('aws_security_group')
        .map(([name]) => name)
        .sort(),
    ).toEqual(['alb', 'app', 'db']);
  });

  it('opens the load balancer to the internet on 80 and 443 only', () => {
    const ingress = rules('ingress', 'alb');
    expect(ingress.map((r) => r.from_port).sort()).toEqual([443, 80]);
    for (const r of ingress) {
      expect(r.to_port).toBe(r.from_port);
      expect(r.ip_protocol).toBe('tcp');
      expect(r.cidr_ipv4).toBe('0.0.0.0/0');
    }
    expect(rules('egress', 'alb')).toEqual([
      expect.objectContaining({
        referenced_security_group_id: '${aws_security_group.app.id}',
        from_port: '${local.app_port}',
        to_port: '${local.app_port}',
      }),
    ]);
  });

  it('lets only the load balancer reach the app, on the app port', () => {
    expect(rules('ingress', 'app')).toEqual([
      expect.objectContaining({
        referenced_security_group_id: '${aws_security_group.alb.id}',
        ip_protocol: 'tcp',
        from_port: '${local.app_port}',
        to_port: '${local.app_port}',
      }),
    ]);
  });

  it('lets only the app reach the database, on 5432, and the database reach nothing', () => {
    expect(rules('ingress', 'db')).toEqual([
      expect.objectContaining({
        referenced_security_group_id: '${aws_security_group.app.id}',
        ip_protocol: 'tcp',
        from_port: 5432,
        to_port: 5432,
      }),
    ]);
    expect(rules('egress', 'db')).toEqual([]);
  });

  it('opens no other ingress from the internet', () => {
    for (const [name, rule] of all('aws_vpc_security_group_ingress_rule')) {
      if (rule.cidr_ipv4 || rule.cidr_ipv6 || rule.prefix_list_id) {
        expect(rule.security_group_id, `${name} admits the internet`).toBe('${aws_security_group.alb.id}');
      }
      expect(rule.ip_protocol, name).not.toBe('-1');
    }
  });
});

describe('OpenTofu: the app on ECS Fargate', () => {
  it('runs at least two tasks by default, in the private subnets, with no public IP, behind the load balancer', () => {
    const service = resource('aws_ecs_service', 'app');
    expect(service.launch_type).toBe('FARGATE');
    expect(service.desired_count).toBe('${var.desired_count}');
    expect(defaultOf('desired_count')).toBeGreaterThanOrEqual(2);
    expect(service.network_configuration[0]).toEqual({
      subnets: '${aws_subnet.private[*].id}',
      security_groups: ['${aws_security_group.app.id}'],
      assign_public_ip: false,
    });
    expect(service.load_balancer[0]).toEqual({
      target_group_arn: '${aws_lb_target_group.app.arn}',
      container_name: 'app',
      container_port: '${local.app_port}',
    });
    expect(service.deployment_circuit_breaker[0]).toEqual({ enable: true, rollback: true });
  });

  const containers = () =>
    String(resource('aws_ecs_task_definition', 'app').container_definitions).replace(/\s+/g, ' ');

  it('runs the ECR image, logs to CloudWatch, and injects secrets through `secrets`', () => {
    const task = resource('aws_ecs_task_definition', 'app');
    expect(task.requires_compatibilities).toEqual(['FARGATE']);
    expect(task.network_mode).toBe('awsvpc');
    expect(task.execution_role_arn).toBe('${aws_iam_role.execution.arn}');
    expect(task.task_role_arn).toBe('${aws_iam_role.task.arn}');
    const defs = containers();
    expect(defs).toContain('image = "${aws_ecr_repository.app.repository_url}:${var.image_tag}"');
    expect(defs).toContain('environment = [for key, value in local.app_environment : { name = key, value = value }]');
    expect(defs).toContain('secrets = [for key, arn in local.app_secrets : { name = key, valueFrom = arn }]');
    expect(defs).toContain('logDriver = "awslogs"');
    expect(defs).toContain('awslogs-group = aws_cloudwatch_log_group.app.name');
    expect(defs).toContain('containerPort = local.app_port');
    expect(defs).toContain('command = ["CMD", "node", "-e", local.health_command]');
    expect(m.locals.health_command).toContain('/healthz');
  });

  it('passes the database URL as a Secrets Manager secret, and no secret as a plain variable', () => {
    expect(m.locals.app_secrets).toEqual({ DATABASE_URL: '${aws_secretsmanager_secret.database_url.arn}' });
    const environment = m.locals.app_environment as Record<string, string>;
    for (const [name, value] of Object.entries(environment)) {
      expect(name).not.toMatch(/PASSWORD|SECRET|DATABASE_URL|ACCESS_KEY/);
      expect(value).not.toMatch(/random_password|secret_string/);
    }
    // S3 through the task role: no endpoint, no static keys.
    expect(environment).not.toHaveProperty('S3_ENDPOINT');
    expect(environment.S3_BUCKET).toBe('${aws_s3_bucket.images.bucket}');
    expect(environment.TRUST_PROXY).toBe('1');
    expect(environment.PUBLIC_ORIGIN).toBe('${local.public_origin}');
  });

  it('sets only variables the server reads', () => {
    const known = serverEnvNames();
    for (const name of [...Object.keys(m.locals.app_environment), ...Object.keys(m.locals.app_secrets)]) {
      expect(known, `${name} is not read by the server`).toContain(name);
    }
  });

  it("gives the tasks an environment that passes the server's own config check (S3 by task role)", () => {
    // Values known only at apply time get plausible stand-ins; the rest come from defaults.
    const standIns: Record<string, string> = {
      PUBLIC_ORIGIN: 'http://teamchat-123.us-east-1.elb.amazonaws.com',
      S3_BUCKET: 'teamchat-images-20260101',
    };
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(m.locals.app_environment as Record<string, string>)) {
      const ref = /^\$\{(?:tostring\()?(var|local)\.([a-z0-9_]+)\)?\}$/.exec(value);
      const known = ref ? String(ref[1] === 'var' ? defaultOf(ref[2] as string) : m.locals[ref[2] as string]) : value;
      env[key] = /[$%]\{/.test(known) ? (standIns[key] ?? `no stand-in for ${key}`) : known;
    }
    const secretString = resource('aws_secretsmanager_secret_version', 'database_url').secret_string as string;
    env.DATABASE_URL = secretString.replace(/\$\{([^}]+)\}/g, (_, e: string) =>
      e.endsWith('.endpoint') ? 'teamchat.abc.us-east-1.rds.amazonaws.com:5432' : 'chat',
    );
    const config = loadConfig(env);
    expect(config.PORT).toBe(m.locals.app_port);
    expect(config.TRUST_PROXY).toBe(true);
    expect(config.S3_BUCKET).toBe(standIns.S3_BUCKET);
    expect(config.S3_ENDPOINT).toBeUndefined();
    expect(config.S3_ACCESS_KEY_ID).toBeUndefined();
    expect(new URL(config.DATABASE_URL ?? '').searchParams.get('sslmode')).toBe('require');
  });

  it('lets the execution role read only the app secrets', () => {
    const statements = m.data.aws_iam_policy_document?.execution_secrets?.statement as Body[];
    expect(statements).toEqual([
      { actions: ['secretsmanager:GetSecretValue'], resources: '${values(local.app_secrets)}' },
    ]);
    expect(resource('aws_iam_role_policy', 'execution_secrets').role).toBe('${aws_iam_role.execution.id}');
  });

  it('writes logs to a CloudWatch log group with a retention', () => {
    const group = resource('aws_cloudwatch_log_group', 'app');
    expect(group.retention_in_days).toBe('${var.log_retention_days}');
    expect(defaultOf('log_retention_days')).toBeGreaterThan(0);
  });
});

describe('OpenTofu: database', () => {
  it('runs RDS PostgreSQL in the private subnets, encrypted, backed up, not publicly accessible', () => {
    const db = resource('aws_db_instance', 'main');
    expect(db.engine).toBe('postgres');
    expect(db.storage_encrypted).toBe(true);
    expect(db.publicly_accessible).toBe(false);
    expect(db.backup_retention_period).toBe('${var.db_backup_retention_days}');
    expect(defaultOf('db_backup_retention_days')).toBeGreaterThan(0);
    expect(flat(m.variables.db_backup_retention_days?.validation)).toContain('>= 1');
    expect(db.vpc_security_group_ids).toEqual(['${aws_security_group.db.id}']);
    expect(db.db_subnet_group_name).toBe('${aws_db_subnet_group.main.name}');
    expect(resource('aws_db_subnet_group', 'main').subnet_ids).toBe('${aws_subnet.private[*].id}');
  });

  it('generates the password and keeps it in Secrets Manager, never in a variable or output', () => {
    expect(resource('aws_db_instance', 'main').password).toBe('${random_password.db.result}');
    const secret = resource('aws_secretsmanager_secret_version', 'database_url');
    expect(secret.secret_id).toBe('${aws_secretsmanager_secret.database_url.id}');
    expect(secret.secret_string).toContain('${random_password.db.result}');
    expect(secret.secret_string).toMatch(/^postgres:\/\//);
    for (const name of Object.keys(m.variables)) expect(name).not.toMatch(/password|secret/i);
  });
});

describe('OpenTofu: image bucket and repository', () => {
  it('blocks every kind of public access to the bucket', () => {
    expect(resource('aws_s3_bucket_public_access_block', 'images')).toEqual({
      bucket: '${aws_s3_bucket.images.id}',
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resource('aws_s3_bucket_ownership_controls', 'images').rule[0].object_ownership).toBe('BucketOwnerEnforced');
    expect(Object.keys(m.resources)).not.toContain('aws_s3_bucket_acl');
    expect(Object.keys(m.resources)).not.toContain('aws_s3_bucket_website_configuration');
  });

  it('allows the task role the image bucket and nothing else', () => {
    const statements = m.data.aws_iam_policy_document?.task_images?.statement as Body[];
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.effect ?? 'Allow').toBe('Allow');
      for (const action of statement.actions as string[]) expect(action).toMatch(/^s3:[A-Za-z]+$/);
      for (const target of statement.resources as string[]) {
        expect(['${aws_s3_bucket.images.arn}', '${aws_s3_bucket.images.arn}/*']).toContain(target);
      }
    }
    const attached = all('aws_iam_role_policy').filter(([, p]) => p.role === '${aws_iam_role.task.id}');
    expect(attached.map(([name]) => name)).toEqual(['task_images']);
    expect(all('aws_iam_role_policy_attachment').filter(([, p]) => p.role === '${aws_iam_role.task.name}')).toEqual([]);
  });

  it('has an ECR repository and a script that builds and pushes the image to it', () => {
    expect(resource('aws_ecr_repository', 'app').image_scanning_configuration[0].scan_on_push).toBe(true);
    const script = join(opentofuDir, 'scripts', 'push-image.sh');
    accessSync(script, constants.X_OK);
    execFileSync('bash', ['-n', script]);
    const text = readFileSync(script, 'utf8');
    expect(text).toContain('aws_ecr_repository.app.repository_url');
    expect(text).toMatch(/aws ecr get-login-password/);
    expect(text).toMatch(/docker build /);
    expect(text).toMatch(/docker push /);
    expect(text).toContain('image.auto.tfvars.json');
    expect(m.variables.image_tag).toBeDefined();
  });
});

describe('OpenTofu: outputs', () => {
  it('gives the URL', () => {
    expect(m.outputs.url?.value).toBe('${local.public_origin}');
  });

  it('never outputs a secret', () => {
    for (const [name, output] of Object.entries(m.outputs)) {
      const value = flat(output.value);
      expect(value, name).not.toMatch(/random_password|secret_version|secret_string|\.password|nonsensitive/);
      expect(output.sensitive, name).toBeUndefined();
    }
  });
});
