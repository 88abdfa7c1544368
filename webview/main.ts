// PLACEHOLDER (owned by the webview helper).
import { parseHostMessage } from '../src/protocol';
window.addEventListener('message', (e) => {
  const msg = parseHostMessage(e.data);
  if (msg) document.body.textContent = msg.type;
});
