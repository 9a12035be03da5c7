// The TypeScript types and the JSON Schemas describe the same documents: same fields, and a field
// is non-optional in the type exactly when the schema requires it or gives it a default.
import { describe, expect, it } from 'vitest';
import configJson from '../../../schemas/deploy-request-config.schema.json' with { type: 'json' };
import requestJson from '../../../schemas/deploy-request.schema.json' with { type: 'json' };
import type * as C from '../../../src/config/types.js';
import type { ArtifactSource, DeployRequest } from '../../../src/request/types.js';

type AllKeys<T> = T extends unknown ? keyof T : never;
type RequiredKeys<T> = Exclude<
  { [K in keyof T]: undefined extends T[K] ? never : K }[keyof T],
  undefined
>;
type Schema = {
  properties?: Record<string, Schema>;
  required?: string[];
  default?: unknown;
  $ref?: string;
};

function at(root: unknown, pointer: string): Schema {
  return pointer
    .split('/')
    .reduce<Schema>((node, key) => (node as Record<string, Schema>)[key] as Schema, root as Schema);
}
function deref(root: unknown, schema: Schema): Schema {
  return schema.$ref ? at(root, schema.$ref.slice(2)) : schema;
}
function fields(root: unknown, schema: Schema) {
  const properties = deref(root, schema).properties ?? {};
  const required = new Set(deref(root, schema).required ?? []);
  const mandatory = Object.keys(properties).filter(
    (k) => required.has(k) || properties[k]?.default !== undefined,
  );
  return { all: Object.keys(properties).sort(), mandatory: mandatory.sort() };
}
const sorted = (o: object) => Object.keys(o).sort();
const configSchema = configJson as unknown as Schema;
const requestSchema = requestJson as unknown as Schema;

// Each pair: every key of the type, and its non-optional keys (both checked by the compiler).
const cases: [string, unknown, Schema, object, object][] = [
  [
    'config',
    configSchema,
    configSchema,
    {
      version: true,
      requests: true,
      allow_self_approval: true,
      environments: true,
    } satisfies Record<keyof C.DeployRequestConfig, true>,
    {
      version: true,
      requests: true,
      allow_self_approval: true,
      environments: true,
    } satisfies Record<RequiredKeys<C.DeployRequestConfig>, true>,
  ],
  [
    'config.requests',
    configSchema,
    at(configSchema, 'properties/requests'),
    { paths: true } satisfies Record<keyof C.DeployRequestConfig['requests'], true>,
    { paths: true } satisfies Record<RequiredKeys<C.DeployRequestConfig['requests']>, true>,
  ],
  [
    'environment',
    configSchema,
    at(configSchema, '$defs/environment'),
    {
      servers: true,
      approval: true,
      provision: true,
      checks: true,
      deploy: true,
      confirm: true,
      lock: true,
      operators: true,
      rollback: true,
      windows: true,
      require_checks: true,
      emergency: true,
    } satisfies Record<keyof C.EnvironmentConfig, true>,
    {
      servers: true,
      approval: true,
      provision: true,
      checks: true,
      deploy: true,
      confirm: true,
      lock: true,
      operators: true,
      rollback: true,
    } satisfies Record<RequiredKeys<C.EnvironmentConfig>, true>,
  ],
  [
    'windows',
    configSchema,
    at(configSchema, '$defs/windows'),
    { timezone: true, allow: true, freezes: true } satisfies Record<keyof C.WindowsConfig, true>,
    { timezone: true, allow: true, freezes: true } satisfies Record<
      RequiredKeys<C.WindowsConfig>,
      true
    >,
  ],
  [
    'window',
    configSchema,
    at(configSchema, '$defs/window'),
    { days: true, from: true, to: true } satisfies Record<keyof C.WeeklyWindow, true>,
    { days: true, from: true, to: true } satisfies Record<RequiredKeys<C.WeeklyWindow>, true>,
  ],
  [
    'freeze',
    configSchema,
    at(configSchema, '$defs/freeze'),
    { from: true, to: true, reason: true } satisfies Record<keyof C.Freeze, true>,
    { from: true, to: true, reason: true } satisfies Record<RequiredKeys<C.Freeze>, true>,
  ],
  [
    'require_checks',
    configSchema,
    at(configSchema, '$defs/require_checks'),
    { checks: true, on: true } satisfies Record<keyof C.RequireChecksConfig, true>,
    { checks: true, on: true } satisfies Record<RequiredKeys<C.RequireChecksConfig>, true>,
  ],
  [
    'emergency',
    configSchema,
    at(configSchema, '$defs/emergency'),
    { approvers: true, required: true, may_skip: true, review: true } satisfies Record<
      keyof C.EmergencyConfig,
      true
    >,
    { approvers: true, required: true, may_skip: true, review: true } satisfies Record<
      RequiredKeys<C.EmergencyConfig>,
      true
    >,
  ],
  [
    'emergency review',
    configSchema,
    at(configSchema, '$defs/emergency/properties/review'),
    { reviewers: true, within_hours: true } satisfies Record<
      keyof C.EmergencyConfig['review'],
      true
    >,
    { reviewers: true, within_hours: true } satisfies Record<
      RequiredKeys<C.EmergencyConfig['review']>,
      true
    >,
  ],
  [
    'server',
    configSchema,
    at(configSchema, '$defs/server'),
    { name: true, host: true, port: true, user: true, host_key: true, via: true } satisfies Record<
      keyof C.ServerConfig,
      true
    >,
    { name: true, host: true, port: true, user: true, host_key: true } satisfies Record<
      RequiredKeys<C.ServerConfig>,
      true
    >,
  ],
  [
    'approval',
    configSchema,
    at(configSchema, '$defs/approval'),
    { stages: true, ordered: true } satisfies Record<keyof C.ApprovalConfig, true>,
    { stages: true, ordered: true } satisfies Record<RequiredKeys<C.ApprovalConfig>, true>,
  ],
  [
    'stage',
    configSchema,
    at(configSchema, '$defs/stage'),
    { name: true, reviewers: true, required: true } satisfies Record<keyof C.ApprovalStage, true>,
    { name: true, reviewers: true, required: true } satisfies Record<
      RequiredKeys<C.ApprovalStage>,
      true
    >,
  ],
  [
    'provision',
    configSchema,
    at(configSchema, '$defs/provision'),
    { directories: true, files: true, commands: true } satisfies Record<
      keyof C.ProvisionConfig,
      true
    >,
    { directories: true, files: true, commands: true } satisfies Record<
      RequiredKeys<C.ProvisionConfig>,
      true
    >,
  ],
  [
    'provision directory',
    configSchema,
    at(configSchema, '$defs/provision/properties/directories/items'),
    { path: true, mode: true, owner: true } satisfies Record<keyof C.ProvisionDirectory, true>,
    { path: true } satisfies Record<RequiredKeys<C.ProvisionDirectory>, true>,
  ],
  [
    'provision file',
    configSchema,
    at(configSchema, '$defs/provision/properties/files/items'),
    { path: true, content: true, mode: true } satisfies Record<keyof C.ProvisionFile, true>,
    { path: true, content: true } satisfies Record<RequiredKeys<C.ProvisionFile>, true>,
  ],
  [
    'provision command',
    configSchema,
    at(configSchema, '$defs/provision/properties/commands/items'),
    { name: true, run: true, unless: true } satisfies Record<keyof C.ProvisionCommand, true>,
    { name: true, run: true } satisfies Record<RequiredKeys<C.ProvisionCommand>, true>,
  ],
  [
    'checks',
    configSchema,
    at(configSchema, '$defs/checks'),
    {
      disk_free: true,
      memory_available_mb: true,
      binaries: true,
      ports_free: true,
      commands: true,
    } satisfies Record<keyof C.ChecksConfig, true>,
    { binaries: true, ports_free: true, commands: true } satisfies Record<
      RequiredKeys<C.ChecksConfig>,
      true
    >,
  ],
  [
    'check command',
    configSchema,
    at(configSchema, '$defs/checks/properties/commands/items'),
    { name: true, run: true, expect: true } satisfies Record<keyof C.CheckCommand, true>,
    { name: true, run: true } satisfies Record<RequiredKeys<C.CheckCommand>, true>,
  ],
  [
    'deploy',
    configSchema,
    at(configSchema, '$defs/deploy'),
    {
      path: true,
      keep_releases: true,
      parallel: true,
      batch_size: true,
      max_failed_servers: true,
      request_variables: true,
      shared_links: true,
      before_activate: true,
      activate: true,
      health_check: true,
      rollback_on_failure: true,
      transfer: true,
      environment_url: true,
    } satisfies Record<keyof C.DeployConfig, true>,
    {
      path: true,
      keep_releases: true,
      parallel: true,
      batch_size: true,
      max_failed_servers: true,
      request_variables: true,
      shared_links: true,
      before_activate: true,
      rollback_on_failure: true,
      transfer: true,
    } satisfies Record<RequiredKeys<C.DeployConfig>, true>,
  ],
  [
    'health check',
    configSchema,
    at(configSchema, '$defs/deploy/properties/health_check'),
    { run: true, retries: true, interval_s: true, timeout_s: true } satisfies Record<
      keyof C.HealthCheck,
      true
    >,
    { run: true, retries: true, interval_s: true, timeout_s: true } satisfies Record<
      RequiredKeys<C.HealthCheck>,
      true
    >,
  ],
  [
    'confirm',
    configSchema,
    at(configSchema, '$defs/confirm'),
    { within_hours: true, requesters: true } satisfies Record<keyof C.ConfirmConfig, true>,
    { within_hours: true, requesters: true } satisfies Record<RequiredKeys<C.ConfirmConfig>, true>,
  ],
  [
    'lock',
    configSchema,
    at(configSchema, '$defs/lock'),
    { stale_after_minutes: true } satisfies Record<keyof C.LockConfig, true>,
    { stale_after_minutes: true } satisfies Record<RequiredKeys<C.LockConfig>, true>,
  ],
  [
    'rollback',
    configSchema,
    at(configSchema, '$defs/rollback'),
    { allowed: true } satisfies Record<keyof C.RollbackConfig, true>,
    {} satisfies Record<RequiredKeys<C.RollbackConfig>, true>,
  ],
  [
    'request',
    requestSchema,
    requestSchema,
    {
      version: true,
      application: true,
      environment: true,
      release: true,
      artifact: true,
      servers: true,
      reason: true,
      variables: true,
    } satisfies Record<keyof DeployRequest, true>,
    {
      version: true,
      application: true,
      environment: true,
      release: true,
      artifact: true,
      reason: true,
    } satisfies Record<RequiredKeys<DeployRequest>, true>,
  ],
  [
    'artifact',
    requestSchema,
    at(requestSchema, 'properties/artifact'),
    { url: true, sha256: true, release_asset: true, path: true } satisfies Record<
      AllKeys<ArtifactSource>,
      true
    >,
    {},
  ],
];

describe('types and schemas agree', () => {
  it.each(cases)('%s', (_name, root, schema, keys, required) => {
    const { all, mandatory } = fields(root, schema);
    expect(all).toEqual(sorted(keys));
    // The artifact's alternatives are enforced by oneOf, not by `required`.
    if (_name !== 'artifact') expect(mandatory).toEqual(sorted(required));
  });

  it('release_asset has a tag and a name', () => {
    const asset = at(requestSchema, 'properties/artifact/properties/release_asset');
    type Asset = Extract<ArtifactSource, { release_asset: unknown }>['release_asset'];
    expect(fields(requestSchema, asset).mandatory).toEqual(
      sorted({ tag: true, name: true } satisfies Record<RequiredKeys<Asset>, true>),
    );
  });
});
