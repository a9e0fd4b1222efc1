import { z } from 'zod';
import { textField } from '@/lib/stores/schemas';

export const posNameSchema = textField('a name for the POS', 80);

export const createPosSchema = z.object({ name: posNameSchema });
export const renamePosSchema = z.object({ name: posNameSchema });
export const posStatusSchema = z.enum(['ACTIVE', 'DISABLED'], { error: 'Choose enabled or disabled.' });
export const captureModeSchema = z.enum(['IMMEDIATE', 'DAILY_BATCH'], { error: 'Choose at once or in the daily batch.' });

export const apiKeyLabelSchema = textField('a label for the key', 80);
export const createPosApiKeySchema = z.object({ label: apiKeyLabelSchema });
