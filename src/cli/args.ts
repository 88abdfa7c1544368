// Command-line parsing. Pure: argv in, a command or a usage error out (the caller prints and exits 2).
import { RULE_CODES } from '../analysis/rules';
import type { RuleCode, Severity, SeveritySetting } from '../analysis/types';
import { parseIp } from '../model/cidr';
import { AWS_REGION_NAME } from '../parse/types';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'html';
export type FailOn = Severity | 'never';

export interface AnalyzeCommand {
  command: 'analyze';
  paths: string[];
  format: ReportFormat;
  out?: string;
  failOn: FailOn;
  severities: Partial<Record<RuleCode, SeveritySetting>>;
  simulate: string[];
  destination?: string;
  maxFileBytes: number;
  /** Go on when an input is skipped or damaged: the rest is reported, the damage as located errors. */
  allowPartial: boolean;
  /** Print parse and analysis times on stderr (reports never hold them: same inputs, same bytes). */
  timing: boolean;
  /** `--show-suppressed`: the text report lists the findings accepted by egress-lens:ignore (else counts them). */
  showSuppressed?: true;
  /** `--var-file FILE` and `--var NAME=VALUE`, in the order given (a later one wins). */
  vars: ({ file: string } | { name: string; value: string })[];
  /** `--cfn-parameters FILE` and `--cfn-param NAME=VALUE`, in the order given (a later one wins). */
  cfnParams: ({ file: string } | { name: string; value: string })[];
  /** `--region`: AWS::Region of every CloudFormation template. */
  region?: string;
}

export interface DemoCommand {
  command: 'demo';
  /** Folder holding one sub-folder per example. Default: `examples/` next to the package. */
  examples?: string;
  outDir: string;
}

export type Command = AnalyzeCommand | DemoCommand | { command: 'help' } | { command: 'version' };

export const USAGE = `Usage:
  egress-lens analyze <path...> [options]   analyse files and folders of network-as-code
  egress-lens demo [--examples DIR] [--out-dir DIR]
                                            analyse each examples/* folder, write HTML reports
  egress-lens --help | --version

Options for analyze:
  --format text|json|sarif|html   report format (default text)
  --out FILE                      write the report to FILE instead of stdout
  --fail-on error|warning|info|never
                                  exit 1 when a finding has this severity or worse (default error)
  --rule CODE=error|warning|info|off
                                  override a rule's severity; repeatable
  --simulate "src=IP dst=IP|DOMAIN proto=tcp|udp|icmp [port=N]"
                                  replay a flow through the model; repeatable
  --destination IP                test destination of the egress traces (default 8.8.8.8)
  --max-file-mb N                 skip larger files (default 256: a 2,000-VPC account's exports fit)
  --allow-partial                 report what could be read when an input is skipped (too large,
                                  not a regular file) or damaged (does not parse); without it
                                  such an input is an input error (exit 2)
  --timing                        print parse and analysis times on stderr
  --show-suppressed               list the findings an egress-lens:ignore comment accepts (text
                                  report; JSON and SARIF always hold them, marked)
  --var-file FILE                 Terraform variables file applied to every root module after
                                  terraform.tfvars and *.auto.tfvars; any name (HCL, JSON when it
                                  ends in .json), as terraform -var-file; repeatable
  --var NAME=VALUE                one Terraform variable for every root module; repeatable
  --cfn-param NAME=VALUE          one CloudFormation parameter value for every template declaring
                                  NAME (not nested stacks: their parent gives theirs); repeatable
  --cfn-parameters FILE           CloudFormation parameter values from a JSON file: the AWS CLI's
                                  [{"ParameterKey": ..., "ParameterValue": ...}], CodePipeline's
                                  {"Parameters": {NAME: VALUE}} or ["NAME=VALUE", ...]; repeatable
  --region REGION                 the AWS region the CloudFormation stacks are deployed in
                                  (AWS::Region, e.g. eu-west-1); without it a mapping keyed by the
                                  region decides only what every region's row agrees on

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or input error.
Input errors (a duplicate id, a syntax error) are counted in the summary ("1 input error") and count as
errors for --fail-on error.
`;

const FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'html'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];
const SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'info', 'off'];

export class UsageError extends Error {}

/** `--name value` or `--name=value`. */
function takeValue(argv: string[], i: number, name: string): [string, number] {
  const a = argv[i];
  const eq = a.indexOf('=');
  if (eq > 0) return [a.slice(eq + 1), i];
  const v = argv[i + 1];
  if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`${name} needs a value`);
  return [v, i + 1];
}

/** Every option's value is checked: an empty one is a usage error, never a silent default. */
function takeNonEmpty(argv: string[], i: number, name: string): [string, number] {
  const r = takeValue(argv, i, name);
  if (r[0].trim() === '') throw new UsageError(`${name} needs a value (got an empty string)`);
  return r;
}

function parseAnalyze(argv: string[]): AnalyzeCommand {
  const cmd: AnalyzeCommand = {
    command: 'analyze',
    paths: [],
    format: 'text',
    failOn: 'error',
    severities: {},
    simulate: [],
    maxFileBytes: 256 * 1024 * 1024,
    allowPartial: false,
    timing: false,
    vars: [],
    cfnParams: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--') || a === '--') {
      if (a !== '--') cmd.paths.push(a);
      else cmd.paths.push(...argv.slice(i + 1));
      if (a === '--') break;
      continue;
    }
    const name = a.split('=')[0];
    let v: string;
    switch (name) {
      case '--format':
        [v, i] = takeNonEmpty(argv, i, name);
        if (!FORMATS.includes(v as ReportFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${v}")`);
        cmd.format = v as ReportFormat;
        break;
      case '--out':
        [v, i] = takeNonEmpty(argv, i, name);
        cmd.out = v;
        break;
      case '--fail-on':
        [v, i] = takeNonEmpty(argv, i, name);
        if (!FAIL_ON.includes(v as FailOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got "${v}")`);
        cmd.failOn = v as FailOn;
        break;
      case '--rule': {
        [v, i] = takeNonEmpty(argv, i, name);
        const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(v);
        if (!m) throw new UsageError(`--rule expects CODE=severity, e.g. cross-az-egress=off (got "${v}")`);
        if (!(RULE_CODES as readonly string[]).includes(m[1]))
          throw new UsageError(`--rule: unknown rule "${m[1]}"; known rules: ${RULE_CODES.join(', ')}`);
        if (!SETTINGS.includes(m[2] as SeveritySetting))
          throw new UsageError(`--rule: severity must be one of ${SETTINGS.join(', ')} (got "${m[2]}")`);
        cmd.severities[m[1] as RuleCode] = m[2] as SeveritySetting;
        break;
      }
      case '--simulate':
        [v, i] = takeNonEmpty(argv, i, name);
        cmd.simulate.push(v);
        break;
      case '--destination':
        [v, i] = takeNonEmpty(argv, i, name);
        if (!parseIp(v)) throw new UsageError(`--destination must be an IPv4 or IPv6 address, e.g. 8.8.8.8 (got "${v}")`);
        cmd.destination = v;
        break;
      case '--max-file-mb': {
        [v, i] = takeNonEmpty(argv, i, name);
        const n = Number(v);
        if (!Number.isFinite(n) || n * 1024 * 1024 < 1) throw new UsageError(`--max-file-mb must be a positive number (got "${v}")`);
        cmd.maxFileBytes = Math.round(n * 1024 * 1024);
        break;
      }
      case '--allow-partial':
      case '--timing':
      case '--show-suppressed':
        if (a.includes('=')) throw new UsageError(`${name} takes no value`);
        if (name === '--timing') cmd.timing = true;
        else if (name === '--show-suppressed') cmd.showSuppressed = true;
        else cmd.allowPartial = true;
        break;
      case '--var-file':
        [v, i] = takeNonEmpty(argv, i, name);
        cmd.vars.push({ file: v });
        break;
      case '--var': {
        [v, i] = takeValue(argv, i, name);
        const m = /^([A-Za-z_][A-Za-z0-9_-]*)=([\s\S]*)$/.exec(v);
        if (!m) throw new UsageError(`--var expects NAME=VALUE, e.g. --var region=eu-west-1 (got "${v}")`);
        cmd.vars.push({ name: m[1], value: m[2] });
        break;
      }
      case '--cfn-parameters':
        [v, i] = takeNonEmpty(argv, i, name);
        cmd.cfnParams.push({ file: v });
        break;
      case '--cfn-param': {
        [v, i] = takeValue(argv, i, name);
        // CloudFormation logical names are alphanumeric; the value may be empty, as CloudFormation allows.
        const m = /^([A-Za-z0-9]+)=([\s\S]*)$/.exec(v);
        if (!m)
          throw new UsageError(
            `--cfn-param expects NAME=VALUE with an alphanumeric NAME, e.g. --cfn-param VpcCidr=10.0.0.0/16 (got "${v}")`,
          );
        cmd.cfnParams.push({ name: m[1], value: m[2] });
        break;
      }
      case '--region':
        [v, i] = takeNonEmpty(argv, i, name);
        if (!AWS_REGION_NAME.test(v))
          throw new UsageError(`--region expects an AWS region name such as eu-west-1 or us-gov-west-1 (got "${v}")`);
        if (cmd.region !== undefined && cmd.region !== v)
          throw new UsageError(`--region is given twice (${cmd.region}, ${v}): one run reads one region`);
        cmd.region = v;
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  if (cmd.paths.length === 0) throw new UsageError('analyze needs at least one file or folder');
  return cmd;
}

function parseDemo(argv: string[]): DemoCommand {
  const cmd: DemoCommand = { command: 'demo', outDir: 'demo-output' };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].split('=')[0];
    let v: string;
    if (name === '--examples') {
      [v, i] = takeNonEmpty(argv, i, name);
      cmd.examples = v;
    } else if (name === '--out-dir') {
      [v, i] = takeNonEmpty(argv, i, name);
      cmd.outDir = v;
    } else throw new UsageError(`demo: unexpected argument ${argv[i]}`);
  }
  return cmd;
}

/** Throws UsageError with a one-line message for anything it cannot accept. */
export function parseArgs(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { command: 'help' };
  if (first === '--version' || first === '-v') return { command: 'version' };
  if (first === 'analyze') return parseAnalyze(rest);
  if (first === 'demo') return parseDemo(rest);
  throw new UsageError(`unknown command "${first}"`);
}
