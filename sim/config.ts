/**
 * One config file for every simulated party (ports, names, brands, state
 * folder): `sim/sim.config.json`, or the file named by SIM_CONFIG. Everything
 * binds to 127.0.0.1 only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const portSchema = z.number().int().min(0).max(65535);
const identifierSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/);
const brandSchema = z.string().regex(/^[A-Z][A-Z0-9_]{1,19}$/);
const keyAlgorithmSchema = z.enum(['RSA-2048', 'RSA-3072', 'P-256']);

export const acquirerConfigSchema = z.strictObject({
  id: identifierSchema,
  name: z.string().min(1).max(120),
  brands: z.array(brandSchema).min(1),
  /** The gateway (SET) and the registry ServerPOS calls. */
  port: portSchema,
  /** The acquirer's own back office: ledger, merchants, fault injection. */
  adminPort: portSchema,
  keyAlgorithm: keyAlgorithmSchema.default('RSA-2048'),
  /** Merchants under contract: only these can enrol. */
  merchants: z.array(z.strictObject({ merchantNumber: identifierSchema, storeName: z.string().min(1).max(120) })).default([]),
  /** Seconds the slow test card takes to answer. */
  slowCardSeconds: z.number().min(0).max(120).default(4),
});

export const simConfigSchema = z.strictObject({
  dataDir: z.string().min(1),
  /** How often gateways fetch the CA's CRLs. */
  crlPollSeconds: z.number().min(0.1).max(3600).default(10),
  ca: z.strictObject({
    port: portSchema,
    organization: z.string().min(1).max(64),
    brands: z.array(brandSchema).min(1),
    keyAlgorithm: keyAlgorithmSchema.default('P-256'),
    /** Validity of merchant and gateway certificates; minutes, so tests can see expiry. */
    certificateValidityMinutes: z.number().min(1).max(60 * 24 * 365 * 5).default(525_600),
    crlValidityMinutes: z.number().min(1).max(60 * 24 * 7).default(60),
  }),
  acquirers: z.array(acquirerConfigSchema).min(1),
  /** Bearer secret ServerPOS presents to the acquirers' registries and the CA's gateway enrolment (sandbox partner credential). */
  partnerSecret: z.string().min(16),
  /** Where the acquirer CLI finds ServerPOS's acquirer admin API (and the sample shop its POS API). */
  serverposUrl: z.string().url(),
  /** The sample web shop (sim/shop), which sells through ServerPOS with the SDK. */
  shop: z.strictObject({ port: portSchema, name: z.string().min(1).max(120) }).optional(),
});

export type SimConfig = z.infer<typeof simConfigSchema>;
export type AcquirerConfig = z.infer<typeof acquirerConfigSchema>;

/** Reads and validates the config; a wrong value stops the process with its path. */
export function loadSimConfig(file = process.env.SIM_CONFIG ?? path.join('sim', 'sim.config.json')): SimConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the simulator config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = simConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`simulator config ${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  const config = parsed.data;
  if (process.env.SIM_DATA_DIR) config.dataDir = process.env.SIM_DATA_DIR;
  const ids = new Set<string>();
  for (const acquirer of config.acquirers) {
    if (ids.has(acquirer.id)) throw new Error(`simulator config ${file}: acquirer ${acquirer.id} appears twice`);
    ids.add(acquirer.id);
    for (const brand of acquirer.brands) {
      if (!config.ca.brands.includes(brand)) throw new Error(`simulator config ${file}: acquirer ${acquirer.id} uses brand ${brand}, which the CA does not have`);
    }
  }
  return config;
}

export function caUrl(config: SimConfig): string {
  return `http://127.0.0.1:${config.ca.port}`;
}

export function acquirerUrls(acquirer: AcquirerConfig): { gateway: string; registry: string; admin: string } {
  return {
    gateway: `http://127.0.0.1:${acquirer.port}/set`,
    registry: `http://127.0.0.1:${acquirer.port}/registry`,
    admin: `http://127.0.0.1:${acquirer.adminPort}/admin`,
  };
}
