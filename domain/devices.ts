/**
 * The devices of one terminal, as configuration, drivers, supervision and simulators name them.
 * 'cabinet' is the safe's door / service switch sensor board.
 */
export const DEVICE_KINDS = ['cashAcceptor', 'dispenser', 'printer', 'cardReader', 'palm', 'cabinet'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * The file name of each device's kiosk-side endpoint in the run folder (`<dataDir>/run`): a pty link
 * for serial devices, a report socket for HID ones. The configuration defaults to these and the
 * device simulators create them, so a fresh machine runs against the simulators with no settings.
 */
export const defaultEndpointName: Readonly<Record<DeviceKind, string>> = {
  cashAcceptor: 'cash-acceptor.tty',
  dispenser: 'dispenser.tty',
  printer: 'printer.tty',
  cardReader: 'card-reader.sock',
  palm: 'palm.sock',
  cabinet: 'cabinet.sock',
};

/** the run folder's name under the data folder */
export const RUN_DIR_NAME = 'run';

/** the bill acceptor's wire protocol: CashCode CCNET or JCM ID003 */
export const CASH_ACCEPTOR_PROTOCOLS = ['ccnet', 'id003'] as const;
export type CashAcceptorProtocol = (typeof CASH_ACCEPTOR_PROTOCOLS)[number];
