/**
 * A simulated acquirer over HTTP, on two ports of 127.0.0.1:
 * - public (`port`): the SET gateway `POST /set` and the registry ServerPOS
 *   and the CA call (`/registry/…`, partner Bearer credential);
 * - admin (`adminPort`): the acquirer's own back office — ledger, merchants,
 *   fault injection — which stays up when the public port refuses connections.
 */
import type { Server } from 'node:http';
import { z } from 'zod';
import type { AcquirerConfig, SimConfig } from '../config';
import { listen, requireBearer, Router, SimHttpError, simLog } from '../shared/http';
import { changeFaults, noFaults, type Faults } from './faults';
import type { Gateway } from './gateway';
import type { Ledger } from './ledger';
import type { MerchantRegistry } from './registry';

const merchantNumberSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/);
const applicationSchema = z.strictObject({ merchantNumber: merchantNumberSchema, storeName: z.string().min(1).max(120), contactEmail: z.string().email().max(254).optional() });
const redeemSchema = z.strictObject({ merchantNumber: merchantNumberSchema, acquisitionNumber: z.string().min(1).max(64), posId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/) });
const infoFieldSchemas = {
  contactEmail: z.string().trim().max(254).pipe(z.union([z.literal(''), z.email()])),
  phone: z.string().trim().max(40),
  postalAddress: z.string().trim().max(500),
  websiteUrl: z.string().trim().max(500),
};
const changeSchema = z.strictObject({
  status: z.enum(['active', 'suspended']).optional(),
  name: z.string().trim().min(1).max(120).optional(),
  reason: z.string().max(500).optional(),
  contactEmail: infoFieldSchemas.contactEmail.optional(),
  phone: infoFieldSchemas.phone.optional(),
  postalAddress: infoFieldSchemas.postalAddress.optional(),
  websiteUrl: infoFieldSchemas.websiteUrl.optional(),
});
const pushedInfoSchema = z.strictObject({
  version: z.number().int().min(1).max(1e9),
  name: z.string().trim().min(1).max(120),
  contactEmail: infoFieldSchemas.contactEmail.optional(),
  phone: infoFieldSchemas.phone.optional(),
  postalAddress: infoFieldSchemas.postalAddress.optional(),
  websiteUrl: infoFieldSchemas.websiteUrl.optional(),
});
const contractSchema = z.strictObject({ merchantNumber: merchantNumberSchema, storeName: z.string().min(1).max(120) });

async function parse<T>(schema: z.ZodType<T>, value: Promise<unknown>): Promise<T> {
  const parsed = schema.safeParse(await value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SimHttpError(400, 'validation_failed', `${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunningAcquirer {
  gatewayPort: number;
  adminPort: number;
  faults(): Faults;
  close(): Promise<void>;
}

export async function startAcquirerServers(options: {
  config: SimConfig;
  acquirer: AcquirerConfig;
  gateway: Gateway;
  registry: MerchantRegistry;
  ledger: Ledger;
  gatewayPort?: number;
  adminPort?: number;
}): Promise<RunningAcquirer> {
  const { config, acquirer, gateway, registry, ledger } = options;
  const name = acquirer.id;
  let faults: Faults = { ...noFaults };
  const onError = (error: unknown) => simLog(name, 'handler failed', { error: error instanceof Error ? error.message : String(error) });

  // Public port ------------------------------------------------------------------
  const publicRouter = new Router();
  publicRouter.on('GET', '/health', async () => ({ json: { status: 'ok', acquirer: acquirer.id } }));

  // Merchants seal to the gateway's key-exchange certificate and check its answers against its signature certificate.
  publicRouter.on('GET', '/set/certificates', async () => ({ json: gateway.certificates() }));

  publicRouter.on('POST', '/set', async (request, response) => {
    const body = await request.text();
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) throw new SimHttpError(503, 'gateway_unavailable', 'Injected fault: the gateway is unavailable.');
    const outcome = await gateway.handle(body);
    if ('hold' in outcome) {
      // The issuer never answers: keep the connection until the caller gives up.
      await new Promise<void>((resolve) => request.raw.once('close', () => resolve()));
      return 'handled';
    }
    if (faults.dropReplyRate > 0 && Math.random() < faults.dropReplyRate) {
      simLog(name, 'reply dropped (injected fault)');
      response.socket?.destroy();
      return 'handled';
    }
    return { text: outcome.raw, contentType: 'application/jose' };
  });

  publicRouter.on('POST', '/registry/applications', async (request) => {
    requireBearer(request, config.partnerSecret);
    const application = await parse(applicationSchema, request.json());
    const result = registry.apply({ merchantNumber: application.merchantNumber, storeName: application.storeName, ...(application.contactEmail ? { contactEmail: application.contactEmail } : {}) });
    simLog(name, 'enrolment application', { merchantNumber: application.merchantNumber, status: result.status });
    return { json: result };
  });

  publicRouter.on('POST', '/registry/merchants/:merchantNumber/acquisition-numbers', async (request) => {
    requireBearer(request, config.partnerSecret);
    const number = registry.newAcquisitionNumber(request.params.merchantNumber!);
    if (!number) throw new SimHttpError(404, 'not_found', 'No enrolled merchant with this number.');
    return { status: 201, json: { acquisitionNumber: number } };
  });

  publicRouter.on('POST', '/registry/acquisition-numbers/redeem', async (request) => {
    requireBearer(request, config.partnerSecret);
    const body = await parse(redeemSchema, request.json());
    const outcome = registry.redeem(body.merchantNumber, body.acquisitionNumber, body.posId);
    if (outcome !== 'ok') throw new SimHttpError(409, `acquisition_number_${outcome}`, 'The certificate acquisition number is not valid for this merchant.');
    return { json: { status: 'redeemed' } };
  });

  publicRouter.on('GET', '/registry/merchants/:merchantNumber', async (request) => {
    requireBearer(request, config.partnerSecret);
    const merchant = registry.get(request.params.merchantNumber!);
    if (!merchant || merchant.status === 'contracted') throw new SimHttpError(404, 'not_found', 'No enrolled merchant with this number.');
    return { json: { merchantNumber: merchant.merchantNumber, status: merchant.status, info: merchant.info } };
  });

  publicRouter.on('PUT', '/registry/merchants/:merchantNumber/info', async (request) => {
    requireBearer(request, config.partnerSecret);
    const pushed = await parse(pushedInfoSchema, request.json());
    const result = registry.receiveInfo(request.params.merchantNumber!, pushed);
    if (result.status === 'not_enrolled') throw new SimHttpError(404, 'not_found', 'No enrolled merchant with this number.');
    if (result.status === 'withdrawn') throw new SimHttpError(409, 'merchant_withdrawn', 'This merchant has withdrawn.');
    simLog(name, 'store information received', { merchantNumber: request.params.merchantNumber, pushedVersion: pushed.version, status: result.status, version: result.info.version });
    return { json: result };
  });

  publicRouter.on('POST', '/registry/merchants/:merchantNumber/withdrawal', async (request) => {
    requireBearer(request, config.partnerSecret);
    const merchant = registry.withdraw(request.params.merchantNumber!);
    if (!merchant) throw new SimHttpError(404, 'not_found', 'No merchant with this number.');
    simLog(name, 'withdrawal confirmed', { merchantNumber: merchant.merchantNumber });
    return { json: { status: 'withdrawn', info: merchant.info } };
  });

  // Admin port -------------------------------------------------------------------
  const adminRouter = new Router();
  adminRouter.on('GET', '/health', async () => ({ json: { status: 'ok', acquirer: acquirer.id } }));
  adminRouter.on('GET', '/admin/faults', async () => ({ json: faults }));
  adminRouter.on('PUT', '/admin/faults', async (request) => {
    const next = changeFaults(faults, await request.json());
    if ('error' in next) throw new SimHttpError(400, 'validation_failed', next.error);
    await applyRefusal(next.refuseConnections);
    faults = next;
    simLog(name, 'faults changed', { ...faults });
    return { json: faults };
  });
  adminRouter.on('DELETE', '/admin/faults', async () => {
    await applyRefusal(false);
    faults = { ...noFaults };
    simLog(name, 'faults cleared');
    return { json: faults };
  });
  adminRouter.on('GET', '/admin/ledger', async (request) => {
    const query = request.url.searchParams;
    const sinceSeq = query.get('sinceSeq');
    const limit = query.get('limit');
    return {
      json: {
        entries: ledger.query({
          ...(query.get('merchantNumber') ? { merchantNumber: query.get('merchantNumber')! } : {}),
          ...(query.get('xid') ? { xid: query.get('xid')! } : {}),
          ...(query.get('type') ? { type: query.get('type')! } : {}),
          ...(sinceSeq && /^\d+$/.test(sinceSeq) ? { sinceSeq: Number(sinceSeq) } : {}),
          ...(limit && /^\d+$/.test(limit) ? { limit: Number(limit) } : {}),
        }),
      },
    };
  });
  adminRouter.on('GET', '/admin/merchants', async () => ({ json: { merchants: registry.list().map(({ acquisitionNumbers: _numbers, ...merchant }) => merchant) } }));
  adminRouter.on('POST', '/admin/merchants', async (request) => {
    const body = await parse(contractSchema, request.json());
    const merchant = registry.addContract(body.merchantNumber, body.storeName);
    return { status: 201, json: { merchantNumber: merchant.merchantNumber, status: merchant.status, info: merchant.info } };
  });
  adminRouter.on('PATCH', '/admin/merchants/:merchantNumber', async (request) => {
    const change = await parse(changeSchema, request.json());
    const merchant = registry.change(request.params.merchantNumber!, change);
    if (!merchant) throw new SimHttpError(404, 'not_found', 'No merchant with this number (or it has withdrawn).');
    simLog(name, 'merchant changed', { merchantNumber: merchant.merchantNumber, status: merchant.status, version: merchant.info.version });
    return { json: { merchantNumber: merchant.merchantNumber, status: merchant.status, info: merchant.info } };
  });

  let publicServer: { server: Server; port: number; close(): Promise<void> } | undefined = await listen(publicRouter, options.gatewayPort ?? acquirer.port, { onError });
  const gatewayPort = publicServer.port;
  const admin = await listen(adminRouter, options.adminPort ?? acquirer.adminPort, { onError });

  async function applyRefusal(refuse: boolean) {
    if (refuse && publicServer) {
      await publicServer.close();
      publicServer = undefined;
    } else if (!refuse && !publicServer) {
      publicServer = await listen(publicRouter, gatewayPort, { onError });
    }
  }

  return {
    gatewayPort,
    adminPort: admin.port,
    faults: () => faults,
    close: async () => {
      await publicServer?.close();
      await admin.close();
    },
  };
}
