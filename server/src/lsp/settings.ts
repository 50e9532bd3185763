/**
 * The `flowlog.*` settings as the server uses them. Whatever a client sends (settings.json is
 * hand-edited, other editors send anything), reading never throws: a value that cannot be used is
 * replaced by its default and described in `problems`, which the server shows to the user once.
 */
import { parseFieldList } from '../service/fieldList';
import { DEFAULT_MAX_PROBLEMS } from '../service/diagnostics';
import { severityTable, type SeverityTable } from '../service/rules';

export interface FlowLogSettings {
  /** Explicit record format (field list, LogFormat string or layout id); undefined to detect it. */
  readonly format: string | undefined;
  readonly severities: SeverityTable;
  readonly maxProblems: number;
  readonly inlayHints: { readonly fieldNames: boolean; readonly decodedValues: boolean };
  /** Documents longer than this (in characters) get no full-document semantic tokens, only ranges. */
  readonly largeFileThreshold: number;
  /** Where documents too large to pair at once are paired: `auto` (the pairing thread on a machine with cores to spare), `on`, `off` (the server's own thread). */
  readonly pairingThread: PairingThreadMode;
}

export type PairingThreadMode = 'auto' | 'on' | 'off';
const PAIRING_THREAD_MODES: readonly PairingThreadMode[] = ['auto', 'on', 'off'];

export const DEFAULT_LARGE_FILE_THRESHOLD = 2_000_000;

/**
 * Bounds of every setting. Settings come from whatever repository is open, also in Restricted
 * Mode: a 1 MB `format` blocked the server 11 s, 20,000 unknown rule names made 20,000 popups,
 * and `maxProblems: 1e308` resent 175 MB of diagnostics per keystroke.
 */
export const SETTING_LIMITS = {
  /** A format of all 60-odd fields with `${…}` around each is about 1,500 characters. */
  formatLength: 4096,
  /** Entries of `flowlog.rules` read; there are far fewer rules. */
  ruleEntries: 200,
  maxProblems: 20_000,
  largeFileThreshold: 100_000_000,
  /** Unusable values named in the one warning about a reading of the settings. */
  namedProblems: 5,
} as const;

export const DEFAULT_SETTINGS: FlowLogSettings = {
  format: undefined,
  severities: severityTable(),
  maxProblems: DEFAULT_MAX_PROBLEMS,
  inlayHints: { fieldNames: false, decodedValues: true },
  largeFileThreshold: DEFAULT_LARGE_FILE_THRESHOLD,
  pairingThread: 'auto',
};

export interface SettingsResult {
  settings: FlowLogSettings;
  /** One sentence per setting that could not be used. */
  problems: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 60)}…` : text;
  } catch {
    return String(value);
  }
}

/** A name from a setting in a message, clipped: the setting may hold anything. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Reads the `flowlog` section of the configuration (`workspace/configuration` or `didChangeConfiguration`). */
export function readSettings(section: unknown): SettingsResult {
  const problems: string[] = [];
  if (section === undefined || section === null) return { settings: DEFAULT_SETTINGS, problems };
  if (!isObject(section)) {
    problems.push(`flowlog settings should be an object, not ${describe(section)}; using the defaults.`);
    return { settings: DEFAULT_SETTINGS, problems };
  }
  return {
    settings: {
      format: readFormat(section.format, problems),
      severities: readRules(section.rules, problems),
      maxProblems: readInteger(section.maxProblems, 'flowlog.maxProblems', 1, SETTING_LIMITS.maxProblems, DEFAULT_MAX_PROBLEMS, problems),
      inlayHints: readInlayHints(section.inlayHints, problems),
      largeFileThreshold: readInteger(section.largeFileThreshold, 'flowlog.largeFileThreshold', 0, SETTING_LIMITS.largeFileThreshold, DEFAULT_LARGE_FILE_THRESHOLD, problems),
      pairingThread: readPairingThread(section.pairingThread, problems),
    },
    problems,
  };
}

function readFormat(value: unknown, problems: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.push(`flowlog.format should be a field list or layout id, not ${describe(value)}; the format is detected from the file instead.`);
    return undefined;
  }
  if (value.length > SETTING_LIMITS.formatLength) {
    problems.push(`flowlog.format is ${value.length} characters long, more than the ${SETTING_LIMITS.formatLength} any record format needs; the format is detected from the file instead.`);
    return undefined;
  }
  if (value.trim() === '') return undefined;
  const list = parseFieldList(value);
  if (list.names.length === 0) {
    problems.push(`flowlog.format ${describe(value)} names no fields; the format is detected from the file instead.`);
    return undefined;
  }
  // A format that misnames a column would mis-read every record: detection does better.
  if (list.unknown.length > 0) {
    const shown = list.unknown.slice(0, SETTING_LIMITS.namedProblems);
    const names = shown.map((u) => `'${clip(u.written)}'${u.suggestion ? ` (did you mean '${u.suggestion}'?)` : ''}`).join(', ');
    const more = list.unknown.length > shown.length ? ` and ${list.unknown.length - shown.length} more` : '';
    problems.push(`flowlog.format names ${list.unknown.length === 1 ? 'a field that does not exist' : 'fields that do not exist'}: ${names}${more}; the format is detected from the file instead.`);
    return undefined;
  }
  if (list.duplicates.length > 0) {
    problems.push(`flowlog.format names '${clip(list.duplicates[0].name)}' more than once; the format is detected from the file instead.`);
    return undefined;
  }
  return value;
}

function readRules(value: unknown, problems: string[]): SeverityTable {
  if (value === undefined || value === null) return DEFAULT_SETTINGS.severities;
  if (!isObject(value)) {
    problems.push(`flowlog.rules should map rule codes to error, warning, info, hint or off, not ${describe(value)}; using the default severities.`);
    return DEFAULT_SETTINGS.severities;
  }
  const entries = Object.entries(value);
  const read = entries.length > SETTING_LIMITS.ruleEntries ? Object.fromEntries(entries.slice(0, SETTING_LIMITS.ruleEntries)) : value;
  const invalid: string[] = [];
  const table = severityTable(read, { invalid });
  if (entries.length > SETTING_LIMITS.ruleEntries) invalid.push(`${entries.length - SETTING_LIMITS.ruleEntries} entries after the first ${SETTING_LIMITS.ruleEntries} were not read`);
  // One sentence however many entries are wrong: each used to be a popup of its own.
  if (invalid.length > 0) {
    const shown = invalid.slice(0, SETTING_LIMITS.namedProblems).join('; ');
    const more = invalid.length > SETTING_LIMITS.namedProblems ? `; and ${invalid.length - SETTING_LIMITS.namedProblems} more` : '';
    problems.push(`flowlog.rules: ${shown}${more}. Rules named wrongly keep their default severity.`);
  }
  return table;
}

function readInteger(value: unknown, name: string, min: number, max: number, fallback: number, problems: string[]): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    problems.push(`${name} should be a number of at least ${min}, not ${describe(value)}; using ${fallback}.`);
    return fallback;
  }
  if (value > max) {
    problems.push(`${name} is at most ${max}, not ${describe(value)}; using ${max}.`);
    return max;
  }
  return Math.floor(value);
}

/**
 * The problems of one reading of the settings as one message (a popup each was a flood), with
 * the first few named.
 */
export function settingsWarning(problems: readonly string[]): string | undefined {
  if (problems.length === 0) return undefined;
  if (problems.length === 1) return problems[0];
  const shown = problems.slice(0, SETTING_LIMITS.namedProblems);
  const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
  return `flowlog settings: ${problems.length} values could not be used. ${shown.join(' ')}${more}`;
}

function readInlayHints(value: unknown, problems: string[]): FlowLogSettings['inlayHints'] {
  const defaults = DEFAULT_SETTINGS.inlayHints;
  if (value === undefined || value === null) return defaults;
  if (!isObject(value)) {
    problems.push(`flowlog.inlayHints should be an object with fieldNames and decodedValues, not ${describe(value)}; using the defaults.`);
    return defaults;
  }
  const flag = (key: 'fieldNames' | 'decodedValues'): boolean => {
    const v = value[key];
    if (v === undefined || v === null) return defaults[key];
    if (typeof v !== 'boolean') {
      problems.push(`flowlog.inlayHints.${key} should be true or false, not ${describe(v)}; using ${defaults[key]}.`);
      return defaults[key];
    }
    return v;
  };
  return { fieldNames: flag('fieldNames'), decodedValues: flag('decodedValues') };
}

function readPairingThread(value: unknown, problems: string[]): PairingThreadMode {
  if (value === undefined || value === null) return DEFAULT_SETTINGS.pairingThread;
  if (typeof value === 'string' && (PAIRING_THREAD_MODES as readonly string[]).includes(value)) return value as PairingThreadMode;
  problems.push(`flowlog.pairingThread should be "auto", "on" or "off", not ${describe(value)}; using "auto".`);
  return DEFAULT_SETTINGS.pairingThread;
}

/** Whether two settings validate a document the same way (otherwise it must be re-validated). */
export function sameValidation(a: FlowLogSettings, b: FlowLogSettings): boolean {
  if (a.format !== b.format || a.maxProblems !== b.maxProblems || a.severities.size !== b.severities.size) return false;
  for (const [code, severity] of a.severities) if (b.severities.get(code) !== severity) return false;
  return true;
}
