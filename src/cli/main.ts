// Entry of dist/cli.js (`egress-lens`). Exit codes: 0 clean, 1 findings at or above --fail-on,
// 2 usage or input error. Messages are one line per problem on stderr; never a stack trace.
import { parseArgs, USAGE, UsageError } from './args';
import { visible } from '../report/terminal';
import { InputError, runAnalyze, runDemo, toolVersion, type Io } from './run';

export async function main(argv: string[], rawIo: Io): Promise<number> {
  // Messages quote names and paths from the inputs: control characters are shown, never sent.
  const io: Io = { ...rawIo, stderr: (s) => rawIo.stderr(visible(s)) };
  try {
    const cmd = parseArgs(argv);
    switch (cmd.command) {
      case 'help':
        io.stdout(USAGE);
        return 0;
      case 'version':
        io.stdout(`${toolVersion(io.distDir)}\n`);
        return 0;
      case 'analyze':
        return await runAnalyze(cmd, io);
      case 'demo':
        return await runDemo(cmd, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`egress-lens: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof InputError) {
      io.stderr(
        e.message
          .split('\n')
          .map((l) => `egress-lens: ${l}\n`)
          .join(''),
      );
      return 2;
    }
    io.stderr(`egress-lens: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  // `egress-lens analyze . | head` closes the pipe early: that is not an error worth a trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const io: Io = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    distDir: __dirname,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`egress-lens: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
