/**
 * Character codes that the scanners and checks compare with `charCodeAt` or with UTF-8 bytes
 * (for ASCII, a UTF-16 code unit and its byte are the same number).
 */
export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const HASH = 35;
export const DASH = 45;
export const DOT = 46;
export const ZERO = 48;
export const NINE = 57;
export const COLON = 58;
export const BACKSLASH = 92;
export const CLOSE_BRACE = 125;
