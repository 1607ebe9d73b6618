/**
 * Runtime checks of the domain's values, for every schema that carries them (the UI contract, the
 * bank's wire format and messages, the bank simulator's seed).
 */
import { z } from 'zod';
import { IDENTIFICATION_METHODS, OPERATIONS } from './operations.js';

/** Integer tiyn, never negative. */
export const TiynSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const OperationSchema = z.enum(OPERATIONS);
export const IdentificationMethodSchema = z.enum(IDENTIFICATION_METHODS);
