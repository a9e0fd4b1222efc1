/**
 * Imported for its effect by every server module that runs lib/set: the
 * protocol library then uses OpenSSL through node:crypto (synchronous, several
 * times faster than WebCrypto for these operations) instead of its portable
 * default. The browser wallet never imports this.
 */
import { setCryptoBackend } from '@/lib/set';
import { nodeCryptoBackend } from '@/lib/set/crypto/node';

setCryptoBackend(nodeCryptoBackend);
