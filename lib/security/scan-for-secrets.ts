/**
 * Looks for secrets in clear where none may be: a database dump, log files,
 * recorded HTTP responses. Used after the integration and browser suites:
 * the whole point of wrapping private keys and master keys is that they never
 * appear anywhere else, and that is checked, not assumed.
 *
 * What counts as a secret in clear:
 * - a PEM private key block;
 * - the start of a PKCS#8 private key (RSA, EC P-256 or Ed25519), as DER in hex, base64 or base64url — how a key
 *   exported from WebCrypto or OpenSSL looks in a bytea column, a JSON field or a log line;
 * - any configured master key, in base64, base64url or hex.
 */

export interface SecretFinding {
  source: string;
  kind: 'pem_private_key' | 'pkcs8_private_key' | 'master_key';
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
  return findings;
}
