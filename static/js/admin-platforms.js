// The platform form's live QR preview: redraw the code from the server as the address is typed.

const DELAY_MS = 350;

function setup(preview, input) {
  const box = preview.querySelector(".qr-box");
  const status = preview.querySelector(".qr-status");
  let timer = null;
  let latest = 0;

  function show(state, text, image) {
    preview.dataset.state = state;
    status.textContent = text;
    box.replaceChildren(...(image ? [image] : []));
  }

  function refresh() {
    const url = input.value.trim();
    const ticket = ++latest;
    if (!url) {
      show("empty", preview.dataset.empty);
      return;
    }
    const image = new Image();
    image.alt = url;
    // Only the newest request may paint: an older, slower answer is dropped.
    image.addEventListener("load", () => { if (ticket === latest) show("ok", url, image); });
    image.addEventListener("error", () => { if (ticket === latest) show("bad", preview.dataset.bad); });
    image.src = `${preview.dataset.qrUrl}?url=${encodeURIComponent(url)}`;
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    preview.dataset.state = "pending";
    timer = setTimeout(refresh, DELAY_MS);
  });
}

const preview = document.getElementById("qr-preview");
const input = document.getElementById("url");
if (preview && input) setup(preview, input);
