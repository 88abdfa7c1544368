// Text for a terminal: names come from input files, and a name holding ESC sequences could set the
// window title, clear the screen or print a fake summary; a bidi override could reorder what is
// read. Every such character is shown as a visible escape instead; line breaks stay.

/** C0 controls but tab and newline, DEL, C1 controls, and the bidi controls and marks. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** The text with every control character (but \t and \n) written as `\xNN` or `\uNNNN`. */
export function visible(s: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s) ? s.replace(UNSAFE, escapeOne) : s;
}
