/**
 * What a customer can do and how they can say who they are: the lists the UI contract, the bank's
 * wire format, the configuration and the session all speak.
 */
export const OPERATIONS = ['balance', 'cashIn', 'withdraw', 'payService', 'loanRepayment', 'changePin'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** the ways a customer may identify, in the order the start screen offers them */
export const IDENTIFICATION_METHODS = ['phone', 'iin', 'card', 'palm', 'qr'] as const;
export type IdentificationMethod = (typeof IDENTIFICATION_METHODS)[number];
