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
  | { command: 'update-info'; acquirerId: string; merchantNumber: string; name: string };

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

const commandOptions = {
  list: { positionals: 0, options: [] },
  suspend: { positionals: 1, options: ['reason'] },
  resume: { positionals: 1, options: [] },
  'update-info': { positionals: 1, options: ['name'] },
} as const satisfies Record<string, { positionals: number; options: readonly string[] }>;

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
  const allowed: readonly string[] = commandOptions[command].options;

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
  for (const name of allowed) if (!options.has(name)) throw new CliUsageError(`${command} needs --${name} <${name === 'reason' ? 'text' : 'storeName'}>.`);

  switch (command) {
    case 'list':
      return { command, acquirerId };
    case 'resume':
      return { command, acquirerId, merchantNumber: identifier(positionals[0]!, 'The merchant number') };
    case 'suspend':
      return { command, acquirerId, merchantNumber: identifier(positionals[0]!, 'The merchant number'), reason: text(options.get('reason'), 'The reason', MAX_REASON_LENGTH) };
    case 'update-info':
      return { command, acquirerId, merchantNumber: identifier(positionals[0]!, 'The merchant number'), name: text(options.get('name'), 'The store name', MAX_NAME_LENGTH) };
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

/** The change in the acquirer's registry and the matching request to ServerPOS. */
function describeChange(command: Extract<CliCommand, { merchantNumber: string }>) {
  const store = `api/v1/acquirer/stores/${encodeURIComponent(command.merchantNumber)}`;
  switch (command.command) {
    case 'suspend':
      return {
        registryChange: { status: 'suspended', reason: command.reason },
        serverpos: (_version: number) => ({ method: 'POST', path: `${store}/suspension`, body: JSON.stringify({ reason: command.reason }) }),
      };
    case 'resume':
      return {
        registryChange: { status: 'active' },
        serverpos: (_version: number) => ({ method: 'DELETE', path: `${store}/suspension`, body: '' }),
      };
    case 'update-info':
      return {
        registryChange: { name: command.name },
        serverpos: (version: number) => ({ method: 'PUT', path: `${store}/info`, body: JSON.stringify({ version, name: command.name }) }),
      };
  }
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
  command: Extract<CliCommand, { merchantNumber: string }>,
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
  const notTold = `The acquirer's registry WAS changed; ServerPOS was NOT told. Fix the problem and run the same command again.`;
  const credential = loadServerposCredential(config.dataDir, acquirer.id, context.env);
  if (credential.status !== 'found') {
    context.stderr(
      [
        credential.status === 'absent' ? `${acquirer.id}: no ServerPOS API credential is configured.` : `${acquirer.id}: the ServerPOS API credential is unusable: ${credential.reason}`,
        notTold,
        `To configure one, ask the ServerPOS operator for an acquirer API credential for ${acquirer.id}, then either`,
        `  export ${CREDENTIAL_ENV}='<credentialId>:<secret>'`,
        `or write ${credentialFilePath(config.dataDir, acquirer.id)} (chmod 600):`,
        `  {"credentialId": "<credentialId>", "secret": "<secret>"}`,
      ].join('\n'),
    );
    return EXIT.serverposNotTold;
  }
  if (credential.warning) context.stderr(`warning: ${credential.warning}`);

  const keysFile = gatewayKeysPath(config.dataDir, acquirer.id);
  let signer: Signer;
  try {
    signer = (await readGatewayKeys(keysFile)).signer;
  } catch (error) {
    if (error instanceof GatewayKeysFileError && error.reason === 'missing') {
      context.stderr(`${acquirer.id}: no gateway keys at ${keysFile}: start the acquirer simulator once so it enrols with the CA.\n${notTold}`);
      return EXIT.serverposNotTold;
    }
    context.stderr(`${acquirer.id}: ${reason(error)}\n${notTold}`);
    return EXIT.failed;
  }

  const request = change.serverpos(version);
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
    context.stderr(`${acquirer.id}: cannot reach ServerPOS at ${url.origin} (${reason(error)}).\n${notTold}`);
    return EXIT.failed;
  }
  if (!answer.ok) {
    context.stderr(`${acquirer.id}: ServerPOS refused ${request.method} ${url.pathname}: ${describeRefusal(answer)}\n${notTold}`);
    return EXIT.failed;
  }
  context.stdout(`${acquirer.id}: ServerPOS was told (${request.method} ${url.pathname}, HTTP ${answer.status}, credential ${credential.credential.credentialId}).`);
  return EXIT.ok;
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
  if (command.command === 'list') return listMerchants(acquirer, resolved);
  return changeMerchant(command, config, acquirer, resolved);
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
