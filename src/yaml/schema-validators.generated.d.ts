// Types of the generated validators (scripts/gen-validators.mjs).
import type { ValidateFunction } from 'ajv/dist/2020.js';

export declare const config: ValidateFunction;
export declare const request: ValidateFunction;
/** The validators by their schema $id. */
export declare const validatorsById: Readonly<Record<string, ValidateFunction>>;
