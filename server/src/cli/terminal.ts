/** Text from a file made safe for a terminal: control characters (escape sequences could restyle or rewrite the screen) become `\xNN`. */

// C0 controls, DEL and C1 controls; the output's own line breaks are added by the caller.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function terminalText(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
