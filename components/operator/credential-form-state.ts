import type { FormState } from '@/lib/http/form-state-shared';

/**
 * What the credential actions answer: a form state, plus the new credential after an issue or rotation. The
 * secret travels only in this answer to the page that asked, is shown once, and is never stored or logged.
 */
export type CredentialFormState = FormState & { credentialId?: string; secret?: string };
