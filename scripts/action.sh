#!/usr/bin/env bash
# The GitHub Action's step (action.yml): packs the CLI from the action's own checkout, installs the
# tarball into a scratch folder (no dependencies to fetch: the bundle is self-contained), and runs it
# on the workspace as `npx ./egress-lens-<v>.tgz` would. Writes SARIF for upload-sarif, prints the
# chosen report to the log, and exits as `--fail-on` says (0 clean, 1 findings, 2 usage/input error).
# Inputs come as EGRESS_LENS_* variables (see action.yml); GITHUB_ACTION_PATH is the action's folder.
set -euo pipefail

action_dir=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
target=${EGRESS_LENS_PATH:-.}
fail_on=${EGRESS_LENS_FAIL_ON:-error}
format=${EGRESS_LENS_FORMAT:-text}
sarif=${EGRESS_LENS_SARIF-egress-lens.sarif}
scratch=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/egress-lens.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# A checkout of the action's source has no dist/: build it once (a release ref may carry it).
if [ ! -f "$action_dir/dist/cli.js" ]; then
  (cd "$action_dir" && npm ci --no-audit --no-fund >&2 && node scripts/build.mjs --production >&2)
fi
tarball=$(cd "$action_dir" && npm pack --silent --pack-destination "$scratch" | tail -n 1)
mkdir -p "$scratch/tool"
npm install --silent --no-audit --no-fund --prefix "$scratch/tool" "$scratch/$tarball" >&2
cli="$scratch/tool/node_modules/.bin/egress-lens"

if [ -n "$sarif" ]; then
  "$cli" analyze "$target" --format sarif --out "$sarif" --fail-on never
  echo "sarif-file=$sarif" >> "${GITHUB_OUTPUT:-/dev/null}"
else
  echo "sarif-file=" >> "${GITHUB_OUTPUT:-/dev/null}"
fi
"$cli" analyze "$target" --format "$format" --fail-on "$fail_on"
