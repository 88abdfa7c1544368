// PLACEHOLDER (owned by the CLI helper).
process.stdout.write('egress-lens: CLI not implemented yet\n');
