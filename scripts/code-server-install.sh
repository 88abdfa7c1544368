#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 web, real workbench + extension host) into .vscode-test/code-server
# from npm and Debian only. code-server's own postinstall downloads ripgrep and prebuilt native modules from
# the internet, which CI cannot reach, so the same steps are done by hand (see /work/shared/recipes/code-server.md).
# Idempotent: a marker file records a finished install; re-running is a no-op.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
D="$ROOT/.vscode-test/code-server"
VERSION=4.100.3
MARK="$D/.installed-$VERSION"
if [ -f "$MARK" ]; then echo "code-server $VERSION already installed in $D"; exit 0; fi
mkdir -p "$D"

need_apt=()
for p in ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config build-essential python3; do
  dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p")
done
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null; }
fi

NODE_HEADERS=""
for h in /usr/include/node "$(dirname "$(dirname "$(command -v node)")")/include/node"; do
  [ -f "$h/node.h" ] && { NODE_HEADERS="$(dirname "$h")"; NODE_HEADERS="$(dirname "$NODE_HEADERS")"; break; }
done
[ -n "$NODE_HEADERS" ] || { echo "no node headers found (need /usr/include/node/node.h)"; exit 1; }
GYP="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$GYP" ] || { echo "npm's node-gyp not found at $GYP"; exit 1; }

cd "$D"
[ -f package.json ] || echo '{"name":"egress-lens-code-server","private":true}' > package.json
npm install --ignore-scripts --no-audit --no-fund --no-save "code-server@$VERSION"
(cd node_modules/argon2 && npm_config_build_from_source=true npx --no-install node-pre-gyp rebuild --build-from-source --nodedir="$NODE_HEADERS")

cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund
mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
for m in node-pty @parcel/watcher @vscode/spdlog kerberos native-watchdog @vscode/deviceid; do
  [ -d "node_modules/$m" ] || continue
  (cd "node_modules/$m" && node "$GYP" rebuild --nodedir="$NODE_HEADERS" >/dev/null)
done
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --ignore-scripts --no-audit --no-fund)
touch "$MARK"
echo "code-server $VERSION installed in $D"
