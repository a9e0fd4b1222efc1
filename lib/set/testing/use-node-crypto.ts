/** Vitest setup: run this file's tests on the Node backend, as servers do. */
import { setCryptoBackend } from '../crypto/backend';
import { nodeCryptoBackend } from '../crypto/node';

setCryptoBackend(nodeCryptoBackend);
