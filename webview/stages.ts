// The design stage each hop of a leg stands for ("GWLB endpoint gwlbe-a, before NAT"): the narration
// heads every step with it. Built in the core (analysis/verdict.ts), so the output channel's steps
// read the same.
export { stageName } from '../src/analysis/verdict';
