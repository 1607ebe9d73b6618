/**
 * The MagTek USB HID swipe reader's input report (manual D99875191; no report ID): one 337-byte
 * report per swipe. Pure layout functions, shared with the emulator that builds the same bytes.
 *
 * | offset      | size   | field                                               |
 * | 0 / 1 / 2   | 1 each | T1 / T2 / T3 decode status (bit 0 = decode error)   |
 * | 3 / 4 / 5   | 1 each | T1 / T2 / T3 length (0: empty or error)             |
 * | 6           | 1      | card encode type (0 ISO/ABA, 1 AAMVA, 3 blank, ...) |
 * | 7/117/227   | 110    | T1 / T2 / T3 ASCII, SS through ES                   |
 *
 * Project extension: the reader (our emulator) may append the track's LRC character after the
 * end sentinel, counted in the length, so the driver verifies the LRC itself.
 */

export const MAGTEK_REPORT_LENGTH = 337;
export const MAGTEK_TRACK_FIELD = 110;
const TRACK_OFFSET = [7, 117, 227] as const;

export const EncodeType = { iso: 0, aamva: 1, cadl: 2, blank: 3, other: 4, undetermined: 5, none: 6 } as const;

export interface MagtekTrack {
  decodeError: boolean;
  /** view into the report (SS..ES [+LRC]); zero the report, not a copy, when done */
  data: Uint8Array;
}

export interface MagtekSwipe {
  tracks: [MagtekTrack, MagtekTrack, MagtekTrack];
  encodeType: number;
}

export type MagtekDecode = { ok: true; swipe: MagtekSwipe } | { ok: false; reason: string };

export function decodeMagtekReport(report: Uint8Array): MagtekDecode {
  if (report.length !== MAGTEK_REPORT_LENGTH) return { ok: false, reason: `report length ${report.length}, expected ${MAGTEK_REPORT_LENGTH}` };
  const tracks: MagtekTrack[] = [];
  for (let t = 0; t < 3; t++) {
    const status = report[t] as number;
    const length = report[3 + t] as number;
    if (length > MAGTEK_TRACK_FIELD) return { ok: false, reason: `track ${t + 1} length ${length} exceeds ${MAGTEK_TRACK_FIELD}` };
    const offset = TRACK_OFFSET[t] as number;
    const decodeError = (status & 0x01) === 1;
    tracks.push({ decodeError, data: decodeError ? report.subarray(offset, offset) : report.subarray(offset, offset + length) });
  }
  return { ok: true, swipe: { tracks: tracks as [MagtekTrack, MagtekTrack, MagtekTrack], encodeType: report[6] as number } };
}

export interface MagtekTrackInput {
  /** ASCII SS..ES, plus the LRC character when the extension is on */
  data?: Uint8Array;
  decodeError?: boolean;
}

/** Builds a report as the reader sends it (emulator side). A track with an error has length 0. */
export function encodeMagtekReport(tracks: [MagtekTrackInput, MagtekTrackInput, MagtekTrackInput], encodeType: number): Uint8Array {
  const report = new Uint8Array(MAGTEK_REPORT_LENGTH);
  tracks.forEach((track, t) => {
    const data = track.decodeError ? undefined : track.data;
    if (data && data.length > MAGTEK_TRACK_FIELD) throw new RangeError(`track ${t + 1} longer than ${MAGTEK_TRACK_FIELD} bytes`);
    report[t] = track.decodeError ? 0x01 : 0x00;
    report[3 + t] = data?.length ?? 0;
    if (data) report.set(data, TRACK_OFFSET[t] as number);
  });
  report[6] = encodeType;
  return report;
}
