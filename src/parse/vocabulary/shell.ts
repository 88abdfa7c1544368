// A bootstrap script read as the shell reads it, far enough to tell commands from comments and data (review s16 R1):
// a word that only a comment holds (`# suricata could go here`) is no evidence of what a machine runs. The reader
// splits words at blanks outside quotes, drops comments (`#` starting a word, outside quotes), joins continued
// lines (`\` before a newline), ends a command at a newline, `;`, `&`, `&&`, `||` or `|`, and reads a heredoc's
// body (`cat > /etc/pf.conf <<EOF ... EOF`) as a text of its own, line by line: its lines are read as commands too
// (a script written to be run later) and its comments dropped, with a quote closing at the end of its line (a
// configuration file's apostrophe opens nothing). cloud-init's YAML list items (`- iptables ...`, `- [ sh, -c, ... ]`)
// are commands as written. `sh -c '...'` and `bash -c "..."` are read as the commands they run.
// One pass over the text, character by character: no pattern that backtracks over a long line (review R9, R17).

export interface ShellCommand {
  /** Its words, quotes removed (`sudo`, a path, cloud-init's list marker left as written). */
  words: string[];
  /** Offsets in the text of the command's first and last characters (end exclusive). */
  start: number;
  end: number;
}

export interface Heredoc {
  /** The command that opens it (`cat > /etc/pf.conf`, `tee /etc/nftables.conf`). */
  command: ShellCommand;
  /** Offsets of its body in the text (up to the terminator line). */
  start: number;
  end: number;
}

export interface ShellScript {
  commands: ShellCommand[];
  heredocs: Heredoc[];
  /** The text with every comment blanked out (same length, same offsets): line readers see no comment. */
  code: string;
}

const SEPARATORS = new Set([';', '&', '|']);
const MAX_NESTING = 3;

/** The commands, heredocs and comment-free text of a script (a user data, a cloud-init document, a script file). */
export function readShell(text: string): ShellScript {
  const code = text.split('');
  const commands: ShellCommand[] = [];
  const heredocs: Heredoc[] = [];
  scan(text, 0, text.length, code, commands, heredocs, false, 0);
  return { commands, heredocs, code: code.join('') };
}

function scan(
  text: string,
  from: number,
  to: number,
  code: string[],
  commands: ShellCommand[],
  heredocs: Heredoc[],
  /** A heredoc body: quotes close at the end of a line. */
  lineQuotes: boolean,
  depth: number,
): void {
  let words: string[] = [];
  let word: string | undefined;
  let start = -1;
  let quote: '' | "'" | '"' = '';
  /** Heredocs opened on the current line: their bodies start after it. */
  let pending: { end: string; strip: boolean; command: () => ShellCommand }[] = [];
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  let last: ShellCommand | undefined;
  const endCommand = (at: number) => {
    endWord();
    if (words.length > 0) {
      last = { words, start, end: at };
      commands.push(last);
      nested(last, commands, heredocs, depth);
    }
    words = [];
    start = -1;
  };
  const addChar = (c: string, at: number) => {
    if (start < 0) start = at;
    word = (word ?? '') + c;
  };
  let i = from;
  while (i < to) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\n' && lineQuotes) {
        quote = '';
        continue;
      } else if (c === '\\' && quote === '"' && i + 1 < to) {
        addChar(text[i + 1], i);
        i += 2;
        continue;
      } else addChar(c, i);
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      if (start < 0) start = i;
      word ??= '';
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < to) {
      // A continued line goes on; an escaped character is itself.
      if (text[i + 1] !== '\n') addChar(text[i + 1], i);
      i += 2;
      continue;
    }
    if (c === '#' && word === undefined) {
      // A comment, to the end of the line.
      let j = i;
      while (j < to && text[j] !== '\n') code[j++] = ' ';
      i = j;
      continue;
    }
    if (c === '\n') {
      endCommand(i);
      i++;
      if (pending.length > 0) {
        const docs = pending;
        pending = [];
        for (const d of docs) {
          const bodyStart = i;
          let j = i;
          // The body runs to a line that is the terminator (leading tabs stripped with `<<-`).
          for (;;) {
            if (j >= to) break;
            let e = text.indexOf('\n', j);
            if (e < 0 || e > to) e = to;
            const line = text.slice(j, e).replace(/\r$/, '');
            if ((d.strip ? line.replace(/^\t+/, '') : line).trim() === d.end) break;
            j = e + 1;
          }
          const bodyEnd = Math.min(j, to);
          heredocs.push({ command: d.command(), start: bodyStart, end: bodyEnd });
          scan(text, bodyStart, bodyEnd, code, commands, heredocs, true, depth);
          const e = text.indexOf('\n', bodyEnd);
          i = e < 0 || e > to ? to : e + 1;
        }
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (SEPARATORS.has(c)) {
      endCommand(i);
      i += text[i + 1] === c ? 2 : 1;
      continue;
    }
    if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      // A heredoc: `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`.
      let j = i + 2;
      const strip = text[j] === '-';
      if (strip) j++;
      while (text[j] === ' ' || text[j] === '\t') j++;
      const q = text[j] === "'" || text[j] === '"' ? text[j] : '';
      if (q) j++;
      let k = j;
      while (k < to && /[\w.-]/.test(text[k])) k++;
      if (k > j) {
        const end = text.slice(j, k);
        if (q && text[k] === q) k++;
        endWord();
        const cmdStart = start;
        const cmdWords = words;
        // The command that opens it, as far as the line goes (what follows the terminator word is part of it).
        let opener: ShellCommand | undefined;
        pending.push({
          end,
          strip,
          command: () => (opener ??= last && last.start === cmdStart ? last : { words: cmdWords, start: cmdStart, end: k }),
        });
        i = k;
        continue;
      }
    }
    addChar(c, i);
    i++;
  }
  endCommand(to);
}

/**
 * `sh -c '...'`, `bash -c "..."`, a cloud-init list item written as one quoted string, and a packet filter command
 * echoed into a file: the commands they run.
 */
function nested(cmd: ShellCommand, commands: ShellCommand[], heredocs: Heredoc[], depth: number): void {
  if (depth >= MAX_NESTING) return;
  const ws = commandWords(cmd);
  let inner: string | undefined;
  if (ws.length >= 3 && /^(?:ba|da|z)?sh$/.test(ws[0]) && ws[1] === '-c') inner = ws[2];
  else if (ws.length === 1 && /\s/.test(ws[0])) inner = ws[0];
  else if (ws[0] === 'echo' || ws[0] === 'printf') {
    // A packet filter command written to a file run at boot (`echo "iptables -P FORWARD DROP" >> /etc/rc.local`).
    const args: string[] = [];
    for (const w of ws.slice(1)) {
      if (w.startsWith('>') || w.startsWith('|')) break;
      if (args.length > 0 || !/^-[neE]+$/.test(w)) args.push(w);
    }
    const joined = args.join(' ');
    if (/^(?:sudo\s+)?(?:\S*\/)?(?:ip6?tables|nft|ufw|firewall-cmd)\s/.test(joined)) inner = joined;
    // A pf rule written to pf.conf line by line (`echo "block all" >> /etc/pf.conf`).
    else if (/^(?:block|pass)\b/.test(joined) && ws.some((w) => w.startsWith('>')) && ws.some((w) => /pf\.conf$/.test(w))) inner = joined;
  }
  if (inner === undefined) return;
  const sub: ShellCommand[] = [];
  const code = inner.split('');
  scan(inner, 0, inner.length, code, sub, heredocs, false, depth + 1);
  // Located at the command that runs them (offsets into the string are not the text's).
  for (const s of sub) commands.push({ words: s.words, start: cmd.start, end: cmd.end });
}

/**
 * A command's words from the program it runs: cloud-init's list marker (`-`) and flow-style list (`[ a, b ]`),
 * `sudo` (and its options), `env VAR=x`, `exec`, `nohup`, leading assignments dropped; the program's path
 * reduced to its name.
 */
export function commandWords(cmd: ShellCommand): string[] {
  let ws = cmd.words;
  if (ws[0] === '-') ws = ws.slice(1);
  if (ws[0]?.startsWith('[')) {
    ws = ws
      .map((w, i) => (i === 0 ? w.slice(1) : w))
      .map((w) => w.replace(/,$/, ''))
      .filter((w, i, a) => !(i === a.length - 1 && w === ']') && w !== '');
    const lastWord = ws[ws.length - 1];
    if (lastWord?.endsWith(']')) ws[ws.length - 1] = lastWord.slice(0, -1);
    ws = ws.map((w) => w.replace(/^["']|["']$/g, ''));
  }
  let i = 0;
  for (;;) {
    const w = ws[i];
    if (w === undefined) break;
    if (w === 'sudo' || w === 'exec' || w === 'nohup' || w === 'env' || w === 'command') {
      i++;
      while (ws[i]?.startsWith('-')) i++;
      continue;
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      i++;
      continue;
    }
    break;
  }
  ws = ws.slice(i);
  if (ws.length > 0) ws = [ws[0].replace(/^.*\//, ''), ...ws.slice(1)];
  return ws;
}

/**
 * Where a shell line writes, and how: appending (`>> f`, `tee -a f`) or whole (`> f`, `tee f`); undefined when it
 * writes no file. Plain tests on the one line (no pattern that backtracks over it).
 */
export function writeOf(line: string): { file: string; append: boolean } | undefined {
  const app = />>\s*([^\s;|&<>]+)/.exec(line);
  if (app) return { file: app[1], append: true };
  const tee = /\btee((?:\s+-[-\w]+)*)\s+([^\s;|&<>-][^\s;|&<>]*)/.exec(line);
  if (tee) return { file: tee[2], append: /\s(?:-a|--append)\b/.test(tee[1]) };
  const whole = /(?:^|[^>&0-9])>\s*([^\s;|&<>]+)/.exec(line);
  return whole ? { file: whole[1], append: false } : undefined;
}
