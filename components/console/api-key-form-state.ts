import type { FormState } from '@/lib/http/form-state-shared';

/**
 * What the API-key actions answer: a form state, plus the whole new key after a creation or rotation. The
 * key travels only in this answer to the page that asked, is shown once, and is never stored or logged.
 */
export type ApiKeyFormState = FormState & { apiKey?: string };
