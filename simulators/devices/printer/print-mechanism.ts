/**
 * The emulated printer's mechanism: applies decoded commands to the paper (lines with styles,
 * QR symbols, raster images, cuts), answers DLE EOT from its sensors, and runs out of paper
 * when told to. Pure state, no I/O: the emulator feeds it bytes and writes back what it returns.
 */
import { decodeText, EPSON_ESC_T, pageForEscT, type CodePageName, type EscTNumbering } from '../../../drivers/printer/code-page.js';
import { readRasterText } from '../../../drivers/printer/text-raster.js';
import {
  encodeErrorCause,
  encodeOfflineCause,
  encodePaperSensor,
  encodePrinterByte,
} from '../../../drivers/printer/status-codec.js';
import { EscPosDecoder, type DecodedCommand } from '../../../drivers/printer/escpos-decoder.js';

export interface PrintedLine {
  text: string;
  bold: boolean;
  align: 'left' | 'center' | 'right';
  width: number;
  height: number;
}

export type PaperItem =
  | ({ kind: 'line' } & PrintedLine)
  | { kind: 'qr'; payload: string; moduleSize: number; level: string }
  | {
      kind: 'image';
      widthDots: number;
      heightDots: number;
      align: 'left' | 'center' | 'right';
      rows: string[];
      /** the image read back as receipt-font text (a raster text line), absent for a QR or logo */
      text?: string;
    };

export interface PrintedReceipt {
  lines: string[];
  qr: string[];
  items: PaperItem[];
  cut: boolean;
  /** paper ran out before the cut: what was printed, no more */
  truncated: boolean;
  startedAt: string;
  time: string;
}

export interface Sensors {
  coverOpen: boolean;
  offline: boolean;
  nearEnd: boolean;
  paperOut: boolean;
  /** autocutter jammed: offline with an error until cleared */
  cutterError: boolean;
}

interface Style {
  page: CodePageName;
  bold: boolean;
  align: 'left' | 'center' | 'right';
  width: number;
  height: number;
}

const defaultStyle = (): Style => ({ page: 'pc437', bold: false, align: 'left', width: 1, height: 1 });

export class PrintMechanism {
  readonly receipts: PrintedReceipt[] = [];
  readonly sensors: Sensors = { coverOpen: false, offline: false, nearEnd: false, paperOut: false, cutterError: false };
  /** lines left on the roll; undefined = plenty */
  linesLeft: number | undefined;
  /** commands the decoder did not understand (for the technician's panel) */
  unknownCommands = 0;
  readonly #decoder = new EscPosDecoder();
  /** real-time scanner: 1 after DLE, 2 after DLE EOT */
  #rt = 0;
  #style: Style = defaultStyle();
  #line = '';
  #lineStyle: Style | undefined;
  #items: PaperItem[] = [];
  #startedAt: string | undefined;
  #qrData: Uint8Array | undefined;
  #qrModule = 3;
  #qrLevel = 'L';
  readonly #now: () => Date;
  /** false emulates a printer without GS ( k: QR commands are skipped, as such firmware does */
  readonly nativeQr: boolean;
  /** this model's ESC t numbering (default Epson's); a number it does not know leaves the page as it was */
  readonly escT: EscTNumbering;
  /** ESC t numbers received that this model has no table for */
  unknownCodePages = 0;

  constructor(now: () => Date = () => new Date(), options: { nativeQr?: boolean; escT?: EscTNumbering } = {}) {
    this.#now = now;
    this.nativeQr = options.nativeQr ?? true;
    this.escT = { ...(options.escT ?? EPSON_ESC_T) };
  }

  /**
   * Feeds wire bytes; returns the bytes the printer sends back (status replies). DLE EOT is
   * real-time: it is answered as it arrives, even in the middle of another command's data (as on
   * real printers, which is why senders must keep it out of image and QR data); in a command
   * position the parser then skips it.
   */
  receive(bytes: Uint8Array): number[] {
    const replies: number[] = [];
    for (const b of bytes) {
      if (this.#rt === 2 && b >= 1 && b <= 4) replies.push(this.statusByte(b));
      this.#rt = b === 0x10 ? 1 : this.#rt === 1 && b === 0x04 ? 2 : 0;
    }
    for (const cmd of this.#decoder.push(bytes)) {
      if (cmd.type !== 'status') this.#apply(cmd);
    }
    return replies;
  }

  /** the DLE EOT n reply from the current sensors */
  statusByte(n: number): number {
    const s = this.sensors;
    switch (n) {
      case 1:
        return encodePrinterByte({ offline: this.#canPrint() ? false : true });
      case 2:
        return encodeOfflineCause({ coverOpen: s.coverOpen, paperEndStop: s.paperOut, error: s.cutterError });
      case 3:
        return encodeErrorCause({ autocutter: s.cutterError });
      default:
        return encodePaperSensor({ nearEnd: s.nearEnd, paperOut: s.paperOut });
    }
  }

  /** a fresh roll: clears paper out and near end */
  loadPaper(lines?: number): void {
    this.sensors.paperOut = false;
    this.sensors.nearEnd = false;
    this.linesLeft = lines;
  }

  /** what is on the paper since the last cut (not yet a finished receipt) */
  get inProgress(): PaperItem[] {
    return [...this.#items];
  }

  #canPrint(): boolean {
    const s = this.sensors;
    return !s.coverOpen && !s.offline && !s.paperOut && !s.cutterError;
  }

  #apply(cmd: DecodedCommand): void {
    // settings are taken even while the mechanism cannot print; marks on paper are not
    switch (cmd.type) {
      case 'init':
        this.#style = defaultStyle();
        this.#qrData = undefined;
        return;
      case 'codePage': {
        const page = pageForEscT(cmd.n, this.escT);
        if (page) this.#style.page = page;
        else this.unknownCodePages++;
        return;
      }
      case 'bold':
        this.#style.bold = cmd.on;
        return;
      case 'align':
        this.#style.align = cmd.align;
        return;
      case 'size':
        this.#style.width = cmd.width;
        this.#style.height = cmd.height;
        return;
      case 'mode':
        this.#style.bold = cmd.bold;
        this.#style.width = cmd.doubleWidth ? 2 : 1;
        this.#style.height = cmd.doubleHeight ? 2 : 1;
        return;
      case 'qrModuleSize':
        this.#qrModule = cmd.n;
        return;
      case 'qrErrorLevel':
        this.#qrLevel = cmd.level;
        return;
      case 'qrStore':
        this.#qrData = cmd.data;
        return;
      case 'unknown':
        this.unknownCommands++;
        return;
      default:
        break;
    }
    if (!this.#canPrint()) return;
    switch (cmd.type) {
      case 'text':
        this.#lineStyle ??= { ...this.#style };
        this.#line += decodeText(cmd.bytes, this.#style.page);
        return;
      case 'tab':
        this.#lineStyle ??= { ...this.#style };
        this.#line += ' ';
        return;
      case 'lf':
        this.#feedLine();
        return;
      case 'feedLines':
        // ESC d n: print the buffer, then n line feeds in all (blank lines after the first)
        for (let k = 0; k < Math.max(1, cmd.n) && this.#canPrint(); k++) this.#feedLine();
        return;
      case 'feedDots':
        if (this.#line.length > 0) this.#feedLine();
        return;
      case 'qrPrint':
        if (this.#qrData && this.nativeQr) {
          this.#begin();
          this.#items.push({ kind: 'qr', payload: new TextDecoder().decode(this.#qrData), moduleSize: this.#qrModule, level: this.#qrLevel });
          this.#consumeLine();
        }
        return;
      case 'raster': {
        this.#begin();
        const text = readRasterText(cmd.data, cmd.widthBytes, cmd.height);
        this.#items.push({ kind: 'image', ...rasterRows(cmd.data, cmd.widthBytes, cmd.height), align: this.#style.align, ...(text === undefined ? {} : { text }) });
        this.#consumeLine();
        return;
      }
      case 'cut':
        if (this.#line.length > 0) this.#feedLine();
        if (this.#canPrint()) this.#finish(true);
        return;
      default:
        return;
    }
  }

  #begin(): void {
    this.#startedAt ??= this.#now().toISOString();
  }

  #feedLine(): void {
    const style = this.#lineStyle ?? this.#style;
    this.#begin();
    this.#items.push({ kind: 'line', text: this.#line, bold: style.bold, align: style.align, width: style.width, height: style.height });
    this.#line = '';
    this.#lineStyle = undefined;
    this.#consumeLine();
  }

  /** one line of paper used; the roll may run out here, mid-job */
  #consumeLine(): void {
    if (this.linesLeft === undefined) return;
    this.linesLeft--;
    if (this.linesLeft <= 0) {
      this.linesLeft = 0;
      this.sensors.paperOut = true;
      this.sensors.nearEnd = true;
      this.#finish(false);
    }
  }

  #finish(cut: boolean): void {
    if (this.#items.length === 0) return; // a cut on blank paper is no receipt
    const lines = this.#items.flatMap((i) => (i.kind === 'line' ? [i.text] : []));
    const qr = this.#items.flatMap((i) => (i.kind === 'qr' ? [i.payload] : []));
    const now = this.#now().toISOString();
    this.receipts.push({ lines, qr, items: this.#items, cut, truncated: !cut, startedAt: this.#startedAt ?? now, time: now });
    this.#items = [];
    this.#startedAt = undefined;
    this.#line = '';
    this.#lineStyle = undefined;
  }
}

/** raster bytes as rows of '0'/'1' dots (compact enough for JSON and the SVG) */
function rasterRows(data: Uint8Array, widthBytes: number, height: number): { widthDots: number; heightDots: number; rows: string[] } {
  const rows: string[] = [];
  for (let y = 0; y < height; y++) {
    let row = '';
    for (let x = 0; x < widthBytes; x++) row += (data[y * widthBytes + x] ?? 0).toString(2).padStart(8, '0');
    rows.push(row);
  }
  return { widthDots: widthBytes * 8, heightDots: height, rows };
}
