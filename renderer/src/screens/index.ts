/** One component per Screen value; the type makes a missing screen a compile error. */
import { lazy, type ComponentType } from 'react';
import type { Screen } from '../../../kiosk/bridge/schema.js';
import { AmountEntryScreen } from './AmountEntryScreen.js';
import { ApprovalWaitScreen } from './ApprovalWaitScreen.js';
import { AttractScreen } from './AttractScreen.js';
import { BalanceScreen } from './BalanceScreen.js';
import { CardInsertScreen } from './CardInsertScreen.js';
import { CashInScreen } from './CashInScreen.js';
import { ConfirmScreen } from './ConfirmScreen.js';
import { DisambiguateScreen } from './DisambiguateScreen.js';
import { DispensingScreen } from './DispensingScreen.js';
import { GoodbyeScreen } from './GoodbyeScreen.js';
import { IdentifyMethodScreen } from './IdentifyMethodScreen.js';
import { IinEntryScreen } from './IinEntryScreen.js';
import { OperationsScreen } from './OperationsScreen.js';
import { OtpEntryScreen } from './OtpEntryScreen.js';
import { OutcomeScreen } from './OutcomeScreen.js';
import { OutOfServiceScreen } from './OutOfServiceScreen.js';
import { PaymentSourceScreen } from './PaymentSourceScreen.js';
import { PalmScanScreen } from './PalmScanScreen.js';
import { PhoneEntryScreen, ReceiptPhoneScreen } from './PhoneEntryScreen.js';
import { PinChangeWaitScreen } from './PinChangeWaitScreen.js';
import { PleaseWaitScreen } from './PleaseWaitScreen.js';
import { PrintingScreen } from './PrintingScreen.js';
import { ProductSelectScreen } from './ProductSelectScreen.js';
import { ReceiptChoiceScreen } from './ReceiptChoiceScreen.js';
import { RefusalScreen } from './RefusalScreen.js';
import { ServiceCatalogueScreen } from './ServiceCatalogueScreen.js';
import { ServiceReferenceScreen } from './ServiceReferenceScreen.js';
import { StartScreen } from './StartScreen.js';
import { TakeCashScreen } from './TakeCashScreen.js';

// Service mode is the technician's: its screens (login, menu, collection, replenishment, receipt
// look-up) load only when the service switch opens, so a customer's first screen never waits on them.
const ServiceLoginScreen = lazy(async () => ({ default: (await import('./ServiceLoginScreen.js')).ServiceLoginScreen }));
const ServiceMenuScreen = lazy(async () => ({ default: (await import('./ServiceMenuScreen.js')).ServiceMenuScreen }));
// The QR encoder (about 10 KB of the bundle, gzipped) is needed on the QR sign-in screen alone.
const QrLoginScreen = lazy(async () => ({ default: (await import('./QrLoginScreen.js')).QrLoginScreen }));

export const screens: Record<Screen, ComponentType> = {
  attract: AttractScreen,
  outOfService: OutOfServiceScreen,
  pleaseWait: PleaseWaitScreen,
  start: StartScreen,
  identifyMethod: IdentifyMethodScreen,
  phoneEntry: PhoneEntryScreen,
  iinEntry: IinEntryScreen,
  cardInsert: CardInsertScreen,
  palmScan: PalmScanScreen,
  qrLogin: QrLoginScreen,
  disambiguate: DisambiguateScreen,
  otpEntry: OtpEntryScreen,
  operations: OperationsScreen,
  productSelect: ProductSelectScreen,
  balance: BalanceScreen,
  serviceCatalogue: ServiceCatalogueScreen,
  serviceReference: ServiceReferenceScreen,
  paymentSource: PaymentSourceScreen,
  cashIn: CashInScreen,
  amountEntry: AmountEntryScreen,
  confirm: ConfirmScreen,
  approvalWait: ApprovalWaitScreen,
  pinChangeWait: PinChangeWaitScreen,
  dispensing: DispensingScreen,
  takeCash: TakeCashScreen,
  outcome: OutcomeScreen,
  receiptChoice: ReceiptChoiceScreen,
  receiptPhone: ReceiptPhoneScreen,
  printing: PrintingScreen,
  refusal: RefusalScreen,
  goodbye: GoodbyeScreen,
  serviceLogin: ServiceLoginScreen,
  serviceMenu: ServiceMenuScreen,
};
