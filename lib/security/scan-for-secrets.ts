/**
 * Looks for secrets in clear where none may be: a database dump, log files,
 * recorded HTTP responses. Used after the integration, browser and reliability
 * suites: the whole point of wrapping private keys and master keys, and of
 * sealing card data for the gateway, is that none of it appears anywhere else,
 * and that is checked, not assumed.
 *
 * What counts as a secret in clear:
 * - a PEM private key block;
 * - the start of a PKCS#8 private key (RSA, EC P-256 or Ed25519), as DER in hex, base64 or base64url — how a key
 *   exported from WebCrypto or OpenSSL looks in a bytea column, a JSON field or a log line;
 * - any configured master key, in base64, base64url or hex;
 * - a card number (PAN): 13 to 19 digits, run together or in groups, of a card brand's prefix and length,
 *   passing the Luhn check — ServerPOS only ever sees the PAN sealed for the gateway, and keeps the first six
 *   and last four digits at most;
 * - a masked card number that shows more than the first six and last four digits;
 * - a security code or PIN: digits as the value of a field named like one (cvc, cvv2, securityCode, pin,
 *   contractPin…) in JSON, a form, a multipart body or a log's key=value. Hashes and masks are not digits.
 */

export interface SecretFinding {
  source: string;
  kind: 'pem_private_key' | 'pkcs8_private_key' | 'master_key' | 'card_number' | 'card_number_unmasked_digits' | 'security_code_or_pin';
  /** Where in the source, for a person to look; never the secret itself. */
  offset: number;
}

/** DER prefixes of PKCS#8 private keys: the version, then the algorithm identifier. */
const PKCS8_PREFIXES = [
  // PrivateKeyInfo { version 0, AlgorithmIdentifier { id-ecPublicKey, prime256v1 } }
  '020100301306072a8648ce3d020106082a8648ce3d030107',
  // PrivateKeyInfo { version 0, AlgorithmIdentifier { rsaEncryption, NULL } }
  '020100300d06092a864886f70d0101010500',
  // Ed25519 (the webhook signing key) is always 48 bytes, so its outer header is fixed too and is part of
  // the prefix: without it, 14 bytes leave too few stable base64 characters in one alignment.
  // SEQUENCE(46) { version 0, AlgorithmIdentifier { id-Ed25519 }, OCTET STRING(34) { OCTET STRING(32) } }
  '302e020100300506032b657004220420',
];

function encodings(bytes: Buffer): string[] {
  const forms = new Set<string>([bytes.toString('hex')]);
  // A base64 string of a byte sequence depends on its offset modulo 3: try all three alignments and keep
  // only the characters that do not depend on the bytes around it.
  for (let shift = 0; shift < 3; shift++) {
    const aligned = Buffer.concat([Buffer.alloc(shift), bytes]);
    const base64 = aligned.toString('base64');
    const start = shift === 0 ? 0 : Math.ceil((shift * 8) / 6) + 1;
    const end = base64.replace(/=+$/, '').length - 2;
    const stable = base64.slice(start, end);
    if (stable.length >= 16) {
      forms.add(stable);
      forms.add(stable.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms];
}

export interface SecretPatterns {
  masterKeys: Buffer[];
}

/** Builds the patterns once; `masterKeys` is the MASTER_KEYS setting (version:base64 pairs). */
export function secretPatterns(masterKeysSetting: string | undefined): SecretPatterns {
  const masterKeys = (masterKeysSetting ?? '')
    .split(',')
    .map((entry) => entry.split(':')[1] ?? '')
    .filter(Boolean)
    .map((encoded) => Buffer.from(encoded, 'base64url'))
    .filter((key) => key.length === 32);
  return { masterKeys };
}

const pemPrivateKey = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

/** Scans one text (a log file, a dump) and answers what it found, without the secrets. */
export function scanText(source: string, text: string, patterns: SecretPatterns): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const lower = text.toLowerCase();
  const pem = pemPrivateKey.exec(text);
  if (pem) findings.push({ source, kind: 'pem_private_key', offset: pem.index });
  for (const prefix of PKCS8_PREFIXES) {
    for (const form of encodings(Buffer.from(prefix, 'hex'))) {
      const index = /^[0-9a-f]+$/.test(form) ? lower.indexOf(form) : text.indexOf(form);
      if (index >= 0) findings.push({ source, kind: 'pkcs8_private_key', offset: index });
    }
  }
  for (const key of patterns.masterKeys) {
    for (const form of encodings(key)) {
      const index = /^[0-9a-f]+$/.test(form) ? lower.indexOf(form) : text.indexOf(form);
      if (index >= 0) findings.push({ source, kind: 'master_key', offset: index });
    }
  }
  for (const offset of cardNumberOffsets(text)) findings.push({ source, kind: 'card_number', offset });
  for (const offset of overexposedMaskOffsets(text)) findings.push({ source, kind: 'card_number_unmasked_digits', offset });
  for (const offset of securityCodeOffsets(text)) findings.push({ source, kind: 'security_code_or_pin', offset });
  return findings;
}

/** True when the digits pass the Luhn check, as every card number does. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * The card brands' number prefixes (IIN ranges) and lengths: Visa, Mastercard (51–55 and 2221–2720), American
 * Express, JCB, Diners Club, Discover and UnionPay. A run of digits outside all of them is an id, a timestamp
 * (those start with 1) or an amount, not a card number.
 */
const cardBrands: { prefix: RegExp; lengths: number[] }[] = [
  { prefix: /^4/, lengths: [13, 16, 19] },
  { prefix: /^(?:5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/, lengths: [16] },
  { prefix: /^3[47]/, lengths: [15] },
  { prefix: /^35(?:2[89]|[3-8]\d)/, lengths: [16, 17, 18, 19] },
  { prefix: /^3(?:0[0-5]|[689])/, lengths: [14, 15, 16, 17, 18, 19] },
  { prefix: /^6(?:011|4[4-9]|5)/, lengths: [16, 17, 18, 19] },
  { prefix: /^62/, lengths: [16, 17, 18, 19] },
];

/** True for the digits of a plausible card number: a brand's prefix and length, and the Luhn check. */
export function isCardNumber(digits: string): boolean {
  return cardBrands.some((brand) => brand.prefix.test(digits) && brand.lengths.includes(digits.length)) && passesLuhn(digits);
}

/**
 * Card numbers as they are written: run together, or in groups of four (Amex 4-6-5) split by spaces or dashes.
 * Neither a digit nor a letter may touch the number, so a run of digits inside a hex hash, a longer number
 * or a word is not taken for one.
 */
const cardNumberForms = /(?<![0-9A-Za-z])(?:\d{13,19}|\d{4}([ -])\d{4,6}\1\d{4,5}(?:\1\d{1,4})?(?:\1\d{3})?)(?![0-9A-Za-z])/g;

function cardNumberOffsets(text: string): number[] {
  const offsets: number[] = [];
  for (const match of text.matchAll(cardNumberForms)) {
    if (isCardNumber(match[0].replace(/[ -]/g, ''))) offsets.push(match.index);
  }
  return offsets;
}

/** A masked card number (digits, a run of mask characters, digits) of a card number's length. */
const maskedCardNumber = /(?<![0-9A-Za-z*•])(\d{1,12})[*•X]{2,13}(\d{1,12})(?![0-9A-Za-z*•])/g;

/** Masks that leave more than the first six and the last four digits showing. */
function overexposedMaskOffsets(text: string): number[] {
  const offsets: number[] = [];
  for (const match of text.matchAll(maskedCardNumber)) {
    const [whole, first = '', last = ''] = match;
    if (whole.length >= 13 && whole.length <= 19 && (first.length > 6 || last.length > 4)) offsets.push(match.index);
  }
  return offsets;
}

/** The last word of a field name, as a security code or PIN is named: cvc, cvv2, security code, PIN. */
const secretFieldWords = new Set(['cvc', 'cvc2', 'cvv', 'cvv2', 'csc', 'pin']);

/**
 * True for a field name that holds a security code or PIN: `cvc`, `cardCvc`, `cvv2`, `securityCode`,
 * `security_code`, `pin`, `contractPin`, `recoveryPin`, React's encoded form field `1_pin`… but not
 * `pinHash`, `spin` or `pinned`: the name's last word decides.
 */
export function isSecretFieldName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
  const last = words.at(-1) ?? '';
  return secretFieldWords.has(last) || (last === 'code' && words.at(-2) === 'security') || last === 'securitycode';
}

/**
 * A field and its digits: `"cvc":"123"` and `"pin": 1234` (JSON, also with its quotes doubled as in a
 * database dump, or escaped as in a log of JSON), `cvc=123` (forms, query strings, log key=value),
 * `pin: 1234` (logs), and `name="pin"` followed by its value (a multipart body).
 */
const fieldWithDigits = /(?<![A-Za-z0-9_.$-])([A-Za-z0-9_.$-]{1,64})(?:\\?"){0,2}\s*[:=]\s*(?:\\?"){0,2}(\d{3,12})(?![0-9A-Za-z])/g;
const multipartFieldWithDigits = /name="([A-Za-z0-9_.$-]{1,64})"\r?\n(?:[^\r\n]+\r?\n)*\r?\n(\d{3,12})(?![0-9A-Za-z])/g;

function securityCodeOffsets(text: string): number[] {
  const offsets: number[] = [];
  for (const form of [fieldWithDigits, multipartFieldWithDigits]) {
    for (const match of text.matchAll(form)) {
      if (isSecretFieldName(match[1] ?? '')) offsets.push(match.index);
    }
  }
  return offsets;
}

/**
 * Ends a test run's teardown with a failure when the scans found anything: throws, and sets the process's
 * exit code as well, because vitest reports an error thrown by a global teardown but still exits 0.
 */
export function failOnSecretFindings(findings: SecretFinding[], after: string): void {
  if (findings.length === 0) return;
  process.exitCode = 1;
  throw new Error(`secrets in clear after ${after}: ${JSON.stringify(findings)}`);
}
