/**
 * `npm run acquirer -- <acquirerId> <command> [args]`: the acquirer operator's
 * CLI. A change is made first in the acquirer's own registry (its admin HTTP
 * API), then told to ServerPOS by a signed request to its acquirer admin API
 * (docs/acquirer-api.md): the acquirer is the source of truth for its
 * merchants, and ServerPOS follows. Secrets are never printed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { signAcquirerRequest } from '@/lib/acquirers/request-signature';
import { setCryptoBackend, type Signer } from '@/lib/set';
import { nodeCryptoBackend } from '@/lib/set/crypto/node';
import { acquirerUrls, loadSimConfig, type AcquirerConfig, type SimConfig } from '../config';
import { gatewayKeysPath, GatewayKeysFileError, readGatewayKeys } from './keys-file';

// ---------------------------------------------------------------------------
// Arguments

/** A command line, understood. */
export type CliCommand =
  | { command: 'help' }
  | { command: 'list'; acquirerId: string }
  | { command: 'suspend'; acquirerId: string; merchantNumber: string; reason: string }
  | { command: 'resume'; acquirerId: string; merchantNumber: string }
  | { command: 'update-info'; acquirerId: string; merchantNumber: string; name: string }
  | { command: 'stores'; acquirerId: string; status?: string }
  | { command: 'confirm-enrolment'; acquirerId: string; merchantNumber: string; decision: 'verified' | 'rejected'; reason?: string }
  | { command: 'confirm-withdrawal'; acquirerId: string; merchantNumber: string }
  | { command: 'report'; acquirerId: string; from: string; to: string; merchantNumber?: string };

/** The command line cannot be understood; the message says what is wrong, the usage text says what is right. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export const USAGE = `Usage: npm run acquirer -- <acquirerId> <command> [arguments]

Commands:
  list                                         the merchants in this acquirer's registry
  suspend <merchantNumber> --reason <text>     suspend a merchant, then tell ServerPOS
  resume <merchantNumber>                      lift a suspension, then tell ServerPOS
  update-info <merchantNumber> --name <name>   change the store name, then tell ServerPOS
  stores [--status <status>]                   the stores ServerPOS has under contract with this acquirer
                                               (status: PENDING, ACTIVE, SUSPENDED or WITHDRAWN)
  confirm-enrolment <merchantNumber> --decision verified|rejected [--reason <text>]
                                               answer a store's application in ServerPOS
  confirm-withdrawal <merchantNumber>          confirm in ServerPOS a withdrawal the store asked for
  report --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--merchant <merchantNumber>]
                                               ServerPOS's settlement report (JSON)
  help                                         this text

Acquirers and ports come from sim/sim.config.json (or the file named by SIM_CONFIG).
The ServerPOS API credential (issued by the ServerPOS operator) is read from
  ACQUIRER_API_CREDENTIAL=<credentialId>:<secret>, or
  <dataDir>/acquirers/<acquirerId>/serverpos-credential.json  {"credentialId": "…", "secret": "…"}
Requests to ServerPOS are signed with the gateway signature key in
  <dataDir>/acquirers/<acquirerId>/keys.json (written by the acquirer simulator).

Exit codes: 0 done; 1 failed; 2 registry changed but ServerPOS not told; 64 usage error.`;

const identifierPattern = /^[A-Za-z0-9._:-]{1,64}$/;
const helpWords = new Set(['help', '--help', '-h']);
const MAX_REASON_LENGTH = 500;
const MAX_NAME_LENGTH = 120;
const MAX_REJECTION_REASON_LENGTH = 460;

const commandOptions = {
  list: { positionals: 0, options: [], optional: [] },
  suspend: { positionals: 1, options: ['reason'], optional: [] },
  resume: { positionals: 1, options: [], optional: [] },
  'update-info': { positionals: 1, options: ['name'], optional: [] },
  stores: { positionals: 0, options: [], optional: ['status'] },
  'confirm-enrolment': { positionals: 1, options: ['decision'], optional: ['reason'] },
  'confirm-withdrawal': { positionals: 1, options: [], optional: [] },
  report: { positionals: 0, options: ['from', 'to'], optional: ['merchant'] },
} as const satisfies Record<string, { positionals: number; options: readonly string[]; optional: readonly string[] }>;

const storeStatuses = ['PENDING', 'ACTIVE', 'SUSPENDED', 'WITHDRAWN'];
const optionValueNames: Record<string, string> = { reason: 'text', name: 'storeName', decision: 'verified|rejected', from: 'YYYY-MM-DD', to: 'YYYY-MM-DD' };

function day(value: string | undefined, what: string): string {
  const text = value ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`)) || new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) !== text) {
    throw new CliUsageError(`${what} must be a date as YYYY-MM-DD.`);
  }
  return text;
}

type ChangeCommand = keyof typeof commandOptions;

function identifier(value: string, what: string): string {
  // "." and ".." match the pattern but would walk the URL path once put in it.
  if (!identifierPattern.test(value) || /^\.+$/.test(value)) throw new CliUsageError(`${what} "${value}" is not valid: 1–64 letters, digits or . _ : - (not only dots).`);
  return value;
}

function text(value: string | undefined, what: string, maxLength: number): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length === 0) throw new CliUsageError(`${what} must not be empty.`);
  if (trimmed.length > maxLength) throw new CliUsageError(`${what} is at most ${maxLength} characters.`);
  return trimmed;
}

/** Understands a command line (without `node` and the script). Pure: throws CliUsageError, prints nothing. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [first, second, ...rest] = argv;
  if (first === undefined || helpWords.has(first)) return { command: 'help' };
  if (second === undefined) throw new CliUsageError('Name a command after the acquirer id.');
  if (helpWords.has(second)) return { command: 'help' };
  if (!Object.hasOwn(commandOptions, second)) throw new CliUsageError(`Unknown command "${second}".`);
  const command = second as ChangeCommand;
  const acquirerId = identifier(first, 'The acquirer id');
  const required: readonly string[] = commandOptions[command].options;
  const allowed: readonly string[] = [...required, ...commandOptions[command].optional];

  const positionals: string[] = [];
  const options = new Map<string, string>();
  for (let index = 0; index < rest.length; index++) {
    const token = rest[index]!;
    if (!token.startsWith('--')) {
      positionals.push(token);
      continue;
    }
    const equals = token.indexOf('=');
    const name = token.slice(2, equals === -1 ? undefined : equals);
    if (!allowed.includes(name)) throw new CliUsageError(`${command} has no option --${name}.`);
    if (options.has(name)) throw new CliUsageError(`--${name} is given twice.`);
    let value: string | undefined;
    if (equals !== -1) value = token.slice(equals + 1);
    else {
      value = rest[index + 1];
      // A following option is not a value: `--reason --name x` is a forgotten reason.
      if (value === undefined || value.startsWith('--')) throw new CliUsageError(`--${name} needs a value.`);
      index++;
    }
    options.set(name, value);
  }
  const expected = commandOptions[command].positionals;
  if (positionals.length < expected) throw new CliUsageError(`${command} needs a merchant number.`);
  if (positionals.length > expected) throw new CliUsageError(`${command} takes ${expected === 0 ? 'no arguments' : 'one merchant number'}; unexpected "${positionals[expected]}".`);
  for (const name of required) if (!options.has(name)) throw new CliUsageError(`${command} needs --${name} <${optionValueNames[name] ?? name}>.`);

  switch (command) {
    case 'list':
      return { command, acquirerId };
    case 'resume':
      return { command, acquirerId, merchantNumber: identifier(positionals[0]!, 'The merchant number') };
    case 'suspend':
      return { command, acquirerId, merchantNumber: identifier(positionals[0]!, 'The merchant number'), reason: text(options.get('reason'), 'The reason', MAX_REASON_LENGTH) };
    case 'update-info':
      return { command, acquirerId, merchantNumber: identifier(positionals[0]!, 'The merchant number'), name: text(options.get('name'), 'The store name', MAX_NAME_LENGTH) };
    case 'stores': {
      const status = options.get('status')?.toUpperCase();
      if (status !== undefined && !storeStatuses.includes(status)) throw new CliUsageError(`--status is one of ${storeStatuses.join(', ')}.`);
      return { command, acquirerId, ...(status ? { status } : {}) };
    }
    case 'confirm-enrolment': {
      const decision = options.get('decision');
      if (decision !== 'verified' && decision !== 'rejected') throw new CliUsageError('--decision is verified or rejected.');
      if (decision === 'verified' && options.has('reason')) throw new CliUsageError('--reason goes with --decision rejected only.');
      const reason = options.has('reason') ? text(options.get('reason'), 'The reason', MAX_REJECTION_REASON_LENGTH) : undefined;
      return { command, acquirerId, merchantNumber: identifier(positionals[0]!, 'The merchant number'), decision, ...(reason ? { reason } : {}) };
    }
    case 'confirm-withdrawal':
      return { command, acquirerId, merchantNumber: identifier(positionals[0]!, 'The merchant number') };
    case 'report': {
      const from = day(options.get('from'), '--from');
      const to = day(options.get('to'), '--to');
      if (from > to) throw new CliUsageError('--from must not be after --to.');
      const merchant = options.get('merchant');
      return { command, acquirerId, from, to, ...(merchant !== undefined ? { merchantNumber: identifier(merchant, 'The merchant number') } : {}) };
    }
  }
}

// ---------------------------------------------------------------------------
// ServerPOS API credential

/** The operator-issued credential for ServerPOS's acquirer admin API. */
export interface ServerposCredential {
  credentialId: string;
  secret: string;
  /** Where it came from, for messages (never the value). */
  source: string;
}

const credentialIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;
const secretPattern = /^[A-Za-z0-9._~+/-]+=*$/;
const credentialFileSchema = z.strictObject({ credentialId: z.string().regex(credentialIdPattern), secret: z.string().regex(secretPattern) });

export const CREDENTIAL_ENV = 'ACQUIRER_API_CREDENTIAL';

/** Where the credential file of `acquirerId` lives. */
export function credentialFilePath(dataDir: string, acquirerId: string): string {
  return path.join(dataDir, 'acquirers', acquirerId, 'serverpos-credential.json');
}

/**
 * The credential from ACQUIRER_API_CREDENTIAL (`<credentialId>:<secret>`),
 * else from the acquirer's credential file; `absent` when neither is there,
 * `invalid` with a reason (never the value) when one is there but unusable.
 */
export function loadServerposCredential(
  dataDir: string,
  acquirerId: string,
  env: Readonly<Record<string, string | undefined>>,
): { status: 'found'; credential: ServerposCredential; warning?: string } | { status: 'absent' } | { status: 'invalid'; reason: string } {
  const fromEnv = env[CREDENTIAL_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const colon = fromEnv.indexOf(':');
    const credentialId = colon === -1 ? '' : fromEnv.slice(0, colon);
    const secret = colon === -1 ? '' : fromEnv.slice(colon + 1);
    if (!credentialIdPattern.test(credentialId) || !secretPattern.test(secret)) {
      return { status: 'invalid', reason: `${CREDENTIAL_ENV} must be <credentialId>:<secret> (id: letters, digits, . _ : -; secret: a Bearer token).` };
    }
    return { status: 'found', credential: { credentialId, secret, source: CREDENTIAL_ENV } };
  }
  const file = credentialFilePath(dataDir, acquirerId);
  if (!existsSync(file)) return { status: 'absent' };
  let parsed: z.infer<typeof credentialFileSchema>;
  try {
    const result = credentialFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!result.success) return { status: 'invalid', reason: `${file} must be {"credentialId": "…", "secret": "…"} (${result.error.issues[0]?.path.join('.') || 'file'} is wrong).` };
    parsed = result.data;
  } catch {
    return { status: 'invalid', reason: `${file} is not valid JSON.` };
  }
  const credential = { credentialId: parsed.credentialId, secret: parsed.secret, source: file };
  // A secret readable by others is worth a warning, not a refusal: this is a sandbox.
  const mode = statSync(file).mode;
  return (mode & 0o077) !== 0 && process.platform !== 'win32'
    ? { status: 'found', credential, warning: `${file} is readable by other users; chmod 600 it.` }
    : { status: 'found', credential };
}

// ---------------------------------------------------------------------------
// Running

/** What `run` needs from the outside world; tests pass their own. */
export interface CliContext {
  config?: SimConfig;
  fetch?: typeof fetch;
  env?: Readonly<Record<string, string | undefined>>;
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  now?: () => Date;
}

export const EXIT = { ok: 0, failed: 1, serverposNotTold: 2, usage: 64 } as const;

const REQUEST_TIMEOUT_MS = 15_000;

const errorAnswerSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const merchantChangeSchema = z.looseObject({ merchantNumber: z.string(), status: z.string(), info: z.looseObject({ version: z.number().int().positive(), name: z.string() }) });
const merchantListSchema = z.object({
  merchants: z.array(
    z.looseObject({
      merchantNumber: z.string(),
      status: z.string(),
      contractName: z.string().optional(),
      suspendedReason: z.string().optional(),
      info: z.looseObject({ version: z.number(), name: z.string() }).optional(),
    }),
  ),
});

interface HttpAnswer {
  status: number;
  ok: boolean;
  body: unknown;
  text: string;
}

async function call(fetchImpl: typeof fetch, url: URL, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<HttpAnswer> {
  const response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, ok: response.ok, body, text };
}

/** `{ error: { code, message } }` when the answer has it, else the status and the start of the text. */
function describeRefusal(answer: HttpAnswer): string {
  const parsed = errorAnswerSchema.safeParse(answer.body);
  if (parsed.success) return `${parsed.data.error.code}: ${parsed.data.error.message} (HTTP ${answer.status})`;
  const snippet = answer.text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `HTTP ${answer.status}${snippet ? `: ${snippet}` : ''}`;
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  // fetch says only "fetch failed"; the socket error (ECONNREFUSED, ENOTFOUND…) is in its cause.
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? `${error.message}: ${cause.code}` : error.message;
}

type ChangeCliCommand = Extract<CliCommand, { command: 'suspend' | 'resume' | 'update-info' }>;
type ServerposCliCommand = Extract<CliCommand, { command: 'stores' | 'confirm-enrolment' | 'confirm-withdrawal' | 'report' }>;

/** The change in the acquirer's registry and the matching request to ServerPOS. */
function describeChange(command: ChangeCliCommand) {
  const store = storePath(command.merchantNumber);
  switch (command.command) {
    case 'suspend':
      return {
        registryChange: { status: 'suspended', reason: command.reason },
        serverpos: (_version: number): ServerposRequest => ({ method: 'POST', path: `${store}/suspension`, body: JSON.stringify({ reason: command.reason }) }),
      };
    case 'resume':
      return {
        registryChange: { status: 'active' },
        serverpos: (_version: number): ServerposRequest => ({ method: 'DELETE', path: `${store}/suspension`, body: '' }),
      };
    case 'update-info':
      return {
        registryChange: { name: command.name },
        serverpos: (version: number): ServerposRequest => ({ method: 'PUT', path: `${store}/info`, body: JSON.stringify({ version, name: command.name }) }),
      };
  }
}

interface ServerposRequest {
  method: string;
  /** Relative to ServerPOS's base URL, query included. */
  path: string;
  body: string;
}

function storePath(merchantNumber: string): string {
  return `api/v1/acquirer/stores/${encodeURIComponent(merchantNumber)}`;
}

async function listMerchants(acquirer: AcquirerConfig, context: Required<Pick<CliContext, 'fetch' | 'stdout' | 'stderr'>>): Promise<number> {
  const url = new URL(`${acquirerUrls(acquirer).admin}/merchants`);
  let answer: HttpAnswer;
  try {
    answer = await call(context.fetch, url, { method: 'GET', headers: { accept: 'application/json' } });
  } catch (error) {
    context.stderr(`${acquirer.id}: cannot reach the acquirer's admin API at ${url.origin} (${reason(error)}). Is the acquirer simulator running?`);
    return EXIT.failed;
  }
  if (!answer.ok) {
    context.stderr(`${acquirer.id}: the registry refused: ${describeRefusal(answer)}`);
    return EXIT.failed;
  }
  const parsed = merchantListSchema.safeParse(answer.body);
  if (!parsed.success) {
    context.stderr(`${acquirer.id}: the registry's answer is not a merchant list.`);
    return EXIT.failed;
  }
  const rows = parsed.data.merchants.map((merchant) => [
    merchant.merchantNumber,
    merchant.status,
    merchant.info ? `v${merchant.info.version}` : '',
    merchant.info?.name ?? merchant.contractName ?? '',
    merchant.suspendedReason ? `(${merchant.suspendedReason})` : '',
  ]);
  if (rows.length === 0) {
    context.stdout(`${acquirer.id} (${acquirer.name}) has no merchants.`);
    return EXIT.ok;
  }
  const header = ['MERCHANT', 'STATUS', 'INFO', 'NAME', ''];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  context.stdout(`${acquirer.id} (${acquirer.name}): ${rows.length} merchant${rows.length === 1 ? '' : 's'}`);
  context.stdout(format(header));
  for (const row of rows) context.stdout(format(row));
  return EXIT.ok;
}

async function changeMerchant(
  command: ChangeCliCommand,
  config: SimConfig,
  acquirer: AcquirerConfig,
  context: Required<Omit<CliContext, 'config'>>,
): Promise<number> {
  const { merchantNumber } = command;
  const change = describeChange(command);

  // 1. The acquirer's own registry: the source of truth.
  const registryUrl = new URL(`${acquirerUrls(acquirer).admin}/merchants/${encodeURIComponent(merchantNumber)}`);
  let registryAnswer: HttpAnswer;
  try {
    registryAnswer = await call(context.fetch, registryUrl, { method: 'PATCH', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(change.registryChange) });
  } catch (error) {
    context.stderr(`${acquirer.id}: cannot reach the acquirer's admin API at ${registryUrl.origin} (${reason(error)}). Nothing was changed.`);
    return EXIT.failed;
  }
  if (!registryAnswer.ok) {
    context.stderr(`${acquirer.id}: the registry refused ${command.command} of ${merchantNumber}: ${describeRefusal(registryAnswer)}. Nothing was changed.`);
    return EXIT.failed;
  }
  const changed = merchantChangeSchema.safeParse(registryAnswer.body);
  if (!changed.success) {
    context.stderr(`${acquirer.id}: the registry accepted the change but its answer has no info.version; ServerPOS was NOT told.`);
    return EXIT.failed;
  }
  const version = changed.data.info.version;
  context.stdout(`${acquirer.id}: registry: ${merchantNumber} is ${changed.data.status}, "${changed.data.info.name}" (store information version ${version}).`);

  // 2. ServerPOS, by a signed request. The registry already changed, so every failure from here says so.
  const outcome = await askServerpos(change.serverpos(version), config, acquirer, context, {
    notTold: `The acquirer's registry WAS changed; ServerPOS was NOT told. Fix the problem and run the same command again.`,
    unconfigured: EXIT.serverposNotTold,
  });
  if (typeof outcome === 'number') return outcome;
  context.stdout(`${acquirer.id}: ServerPOS was told (${outcome.method} ${outcome.pathname}, HTTP ${outcome.answer.status}, credential ${outcome.credentialId}).`);
  return EXIT.ok;
}

/**
 * One signed request to ServerPOS's acquirer API with this acquirer's credential and gateway key. Answers
 * the exit code when it could not be made or was refused (after saying why on stderr), else the answer.
 * `unconfigured` is the exit code for a missing credential or missing keys; `notTold` is added to every
 * failure message.
 */
async function askServerpos(
  request: ServerposRequest,
  config: SimConfig,
  acquirer: AcquirerConfig,
  context: Required<Omit<CliContext, 'config'>>,
  rules: { notTold: string; unconfigured: number },
): Promise<number | { answer: HttpAnswer; method: string; pathname: string; credentialId: string }> {
  const suffix = rules.notTold ? `\n${rules.notTold}` : '';
  const credential = loadServerposCredential(config.dataDir, acquirer.id, context.env);
  if (credential.status !== 'found') {
    context.stderr(
      [
        credential.status === 'absent' ? `${acquirer.id}: no ServerPOS API credential is configured.` : `${acquirer.id}: the ServerPOS API credential is unusable: ${credential.reason}`,
        ...(rules.notTold ? [rules.notTold] : []),
        `To configure one, ask the ServerPOS operator for an acquirer API credential for ${acquirer.id}, then either`,
        `  export ${CREDENTIAL_ENV}='<credentialId>:<secret>'`,
        `or write ${credentialFilePath(config.dataDir, acquirer.id)} (chmod 600):`,
        `  {"credentialId": "<credentialId>", "secret": "<secret>"}`,
      ].join('\n'),
    );
    return rules.unconfigured;
  }
  if (credential.warning) context.stderr(`warning: ${credential.warning}`);

  const keysFile = gatewayKeysPath(config.dataDir, acquirer.id);
  let signer: Signer;
  try {
    signer = (await readGatewayKeys(keysFile)).signer;
  } catch (error) {
    if (error instanceof GatewayKeysFileError && error.reason === 'missing') {
      context.stderr(`${acquirer.id}: no gateway keys at ${keysFile}: start the acquirer simulator once so it enrols with the CA.${suffix}`);
      return rules.unconfigured;
    }
    context.stderr(`${acquirer.id}: ${reason(error)}${suffix}`);
    return EXIT.failed;
  }

  const url = new URL(request.path, config.serverposUrl.endsWith('/') ? config.serverposUrl : `${config.serverposUrl}/`);
  let answer: HttpAnswer;
  try {
    const signature = await signAcquirerRequest({
      method: request.method,
      url: url.href,
      body: request.body,
      credentialId: credential.credential.credentialId,
      credentialSecret: credential.credential.secret,
      signer,
      now: context.now(),
    });
    const headers: Record<string, string> = { accept: 'application/json', ...signature };
    if (request.body !== '') headers['content-type'] = 'application/json';
    answer = await call(context.fetch, url, { method: request.method, headers, ...(request.body !== '' ? { body: request.body } : {}) });
  } catch (error) {
    context.stderr(`${acquirer.id}: cannot reach ServerPOS at ${url.origin} (${reason(error)}).${suffix}`);
    return EXIT.failed;
  }
  if (!answer.ok) {
    context.stderr(`${acquirer.id}: ServerPOS refused ${request.method} ${url.pathname}: ${describeRefusal(answer)}${suffix}`);
    return EXIT.failed;
  }
  return { answer, method: request.method, pathname: url.pathname, credentialId: credential.credential.credentialId };
}

const serverposStoreSchema = z.looseObject({
  merchantNumber: z.string(),
  storeName: z.string(),
  storeStatus: z.string(),
  contractStatus: z.string(),
  suspension: z.looseObject({ by: z.string(), byYou: z.boolean(), reason: z.string() }).nullable(),
  storeInfoVersion: z.number(),
});
const serverposStoreListSchema = z.object({ stores: z.array(serverposStoreSchema), nextCursor: z.string().nullable() });
const serverposChangeSchema = z.object({ store: serverposStoreSchema, changed: z.boolean() });

/** At most this many pages are fetched by `stores` (200 stores each). */
const MAX_STORE_PAGES = 50;

/** Commands that only ask ServerPOS: nothing changes in the registry, so a missing credential is a plain failure. */
async function serverposCommand(command: ServerposCliCommand, config: SimConfig, acquirer: AcquirerConfig, context: Required<Omit<CliContext, 'config'>>): Promise<number> {
  const rules = { notTold: '', unconfigured: EXIT.failed };
  switch (command.command) {
    case 'stores': {
      const rows: string[][] = [];
      let cursor: string | null = null;
      for (let page = 0; page < MAX_STORE_PAGES; page++) {
        const query = new URLSearchParams({ limit: '200', ...(command.status ? { status: command.status } : {}), ...(cursor ? { cursor } : {}) });
        const outcome = await askServerpos({ method: 'GET', path: `api/v1/acquirer/stores?${query}`, body: '' }, config, acquirer, context, rules);
        if (typeof outcome === 'number') return outcome;
        const parsed = serverposStoreListSchema.safeParse(outcome.answer.body);
        if (!parsed.success) {
          context.stderr(`${acquirer.id}: ServerPOS's answer is not a store list.`);
          return EXIT.failed;
        }
        for (const store of parsed.data.stores) {
          const suspension = store.suspension ? `(suspended by ${store.suspension.byYou ? 'you' : store.suspension.by.toLowerCase()}: ${store.suspension.reason})` : '';
          rows.push([store.merchantNumber, store.storeStatus, store.contractStatus, `v${store.storeInfoVersion}`, store.storeName, suspension]);
        }
        cursor = parsed.data.nextCursor;
        if (!cursor) break;
      }
      if (rows.length === 0) {
        context.stdout(`ServerPOS has no stores${command.status ? ` in status ${command.status}` : ''} under contract with ${acquirer.id}.`);
        return EXIT.ok;
      }
      const header = ['MERCHANT', 'STORE', 'CONTRACT', 'INFO', 'NAME', ''];
      const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
      const format = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
      context.stdout(`${acquirer.id} in ServerPOS: ${rows.length} store${rows.length === 1 ? '' : 's'}`);
      context.stdout(format(header));
      for (const row of rows) context.stdout(format(row));
      return EXIT.ok;
    }
    case 'confirm-enrolment':
    case 'confirm-withdrawal': {
      const request: ServerposRequest =
        command.command === 'confirm-enrolment'
          ? { method: 'POST', path: `${storePath(command.merchantNumber)}/enrolment`, body: JSON.stringify({ decision: command.decision, ...(command.reason ? { reason: command.reason } : {}) }) }
          : { method: 'POST', path: `${storePath(command.merchantNumber)}/withdrawal`, body: '' };
      const outcome = await askServerpos(request, config, acquirer, context, rules);
      if (typeof outcome === 'number') return outcome;
      const parsed = serverposChangeSchema.safeParse(outcome.answer.body);
      const state = parsed.success ? `contract ${parsed.data.store.contractStatus}, store ${parsed.data.store.storeStatus}${parsed.data.changed ? '' : ' (already so)'}` : `HTTP ${outcome.answer.status}`;
      context.stdout(`${acquirer.id}: ServerPOS: ${command.merchantNumber}: ${state} (credential ${outcome.credentialId}).`);
      return EXIT.ok;
    }
    case 'report': {
      const query = new URLSearchParams({ from: command.from, to: command.to, ...(command.merchantNumber ? { merchantNumber: command.merchantNumber } : {}) });
      const outcome = await askServerpos({ method: 'GET', path: `api/v1/acquirer/reports/settlement?${query}`, body: '' }, config, acquirer, context, rules);
      if (typeof outcome === 'number') return outcome;
      context.stdout(JSON.stringify(outcome.answer.body ?? null, null, 2));
      return EXIT.ok;
    }
  }
}

/** Runs one command line; answers the exit code. Never throws for a usage or network problem. */
export async function run(argv: readonly string[], context: CliContext = {}): Promise<number> {
  const stdout = context.stdout ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const stderr = context.stderr ?? ((line: string) => void process.stderr.write(`${line}\n`));
  let command: CliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    stderr(`${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (command.command === 'help') {
    stdout(USAGE);
    return EXIT.ok;
  }

  let config: SimConfig;
  try {
    config = context.config ?? loadSimConfig();
  } catch (error) {
    stderr(reason(error));
    return EXIT.failed;
  }
  const acquirer = config.acquirers.find((candidate) => candidate.id === command.acquirerId);
  if (!acquirer) {
    stderr(`Unknown acquirer "${command.acquirerId}". Configured: ${config.acquirers.map((candidate) => candidate.id).join(', ')}.`);
    return EXIT.usage;
  }
  const resolved = {
    fetch: context.fetch ?? globalThis.fetch,
    env: context.env ?? process.env,
    stdout,
    stderr,
    now: context.now ?? (() => new Date()),
  };
  switch (command.command) {
    case 'list':
      return listMerchants(acquirer, resolved);
    case 'suspend':
    case 'resume':
    case 'update-info':
      return changeMerchant(command, config, acquirer, resolved);
    default:
      return serverposCommand(command, config, acquirer, resolved);
  }
}

// Run only when started as a script (`tsx sim/acquirer/cli.ts`), not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  setCryptoBackend(nodeCryptoBackend);
  void run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`acquirer: ${reason(error)}`);
      process.exitCode = EXIT.failed;
    },
  );
}
