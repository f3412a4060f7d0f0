// Reads calls one after another, never two at once: the voice pack's WAV from the server,
// or the device's own vi-VN voice (?voice=browser), or only a visual flash when sound is off.
// Sound starts by itself where the browser lets the page play (a TV started with
// --autoplay-policy=no-user-gesture-required), unless staff turned it off on this board;
// elsewhere the button shows "off" until one tap.
const SOUND_KEY = "kiosk.display.sound"; // "on" / "off": the staff's last choice on this board
const VISUAL_MS = 3000;     // how long a call stays on screen without sound
const MAX_AUDIO_MS = 15000; // give up on an announcement that never ends
const PROBE_MS = 2000;      // a silent probe that neither plays nor fails counts as blocked

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function silentWav() {
  // 0.1 s of 8 kHz 8-bit mono silence, made here: no request, nothing heard.
  const samples = 800;
  const view = new DataView(new ArrayBuffer(44 + samples));
  const ascii = (at, text) => [...text].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, "RIFF"); view.setUint32(4, 36 + samples, true); ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, 8000, true); view.setUint32(28, 8000, true);
  view.setUint16(32, 1, true); view.setUint16(34, 8, true);
  ascii(36, "data"); view.setUint32(40, samples, true);
  for (let i = 44; i < 44 + samples; i++) view.setUint8(i, 128); // 8-bit PCM's zero level
  return new Blob([view], { type: "audio/wav" });
}

export class Announcer {
  constructor(root, { audioUrl, site, mode, version }) {
    this.root = root;
    this.audioUrl = audioUrl;
    this.site = site;
    this.mode = mode === "browser" ? "browser" : "pack";
    this.version = version;
    this.queue = [];
    this.busy = false;
    this.wish = localStorage.getItem(SOUND_KEY);
    this.soundOn = false;
    this.audio = new Audio();
    this.button = root.querySelector(".sound");
    this.button.addEventListener("click", () => this.toggleSound());
    this.showSound();
    window.boardAnnouncements = [];   // texts, in the order they were read
    window.boardAnnouncementLog = []; // {text, kind, number, desk, mode, start, end}
    this.ready = this.wish === "off" ? Promise.resolve() : this.startSoundIfAllowed();
  }

  async startSoundIfAllowed() {
    // The probe only ever turns sound on, so a tap made meanwhile is never undone.
    const allowed = await this.autoplayAllowed();
    if (allowed && this.wish !== "off") {
      this.soundOn = true;
      this.showSound();
    }
  }

  async autoplayAllowed() {
    if (navigator.getAutoplayPolicy) return navigator.getAutoplayPolicy("mediaelement") === "allowed";
    try {
      await Promise.race([this.playSilence(),
        wait(PROBE_MS).then(() => { throw new Error("probe timed out"); })]);
      return true;
    } catch (error) {
      return false; // NotAllowedError: the browser wants a tap first
    }
  }

  playSilence() {
    const url = URL.createObjectURL(silentWav());
    this.audio.volume = 1;
    this.audio.src = url;
    return this.audio.play().finally(() => {
      if (this.audio.src === url) this.audio.pause(); // an announcement may have started since
      URL.revokeObjectURL(url);
    });
  }

  toggleSound() {
    this.soundOn = !this.soundOn;
    this.wish = this.soundOn ? "on" : "off";
    localStorage.setItem(SOUND_KEY, this.wish);
    // Playing inside the tap unlocks audio for the rest of the day (autoplay rule).
    if (this.soundOn && !this.busy) this.playSilence().catch(() => {});
    this.showSound();
  }

  showSound() {
    const data = this.root.dataset;
    this.button.setAttribute("aria-pressed", String(this.soundOn));
    this.button.classList.toggle("on", this.soundOn);
    this.button.querySelector(".sound-label").textContent = this.soundOn ? data.textSoundOn : data.textSoundOff;
  }

  askForTap() {
    // The browser refused to play after all: keep the wish, show "off" until a tap.
    this.soundOn = false;
    this.showSound();
  }

  enqueue(event) {
    this.queue.push(event);
    this.root.dataset.pending = String(this.queue.length);
    if (!this.busy) this.next();
  }

  async next() {
    const event = this.queue.shift();
    this.root.dataset.pending = String(this.queue.length);
    if (!event) {
      this.busy = false;
      this.hideCallout();
      return;
    }
    this.busy = true;
    const entry = { text: event.text, kind: event.kind, number: event.number, desk: event.desk,
                    mode: "visual", start: performance.now(), end: null };
    window.boardAnnouncements.push(event.text);
    window.boardAnnouncementLog.push(entry);
    this.showCallout(event);
    const started = performance.now();
    try {
      entry.mode = await this.speak(event);
    } catch (error) {
      entry.mode = "visual";
    }
    const left = VISUAL_MS - (performance.now() - started);
    if (entry.mode === "visual" && left > 0) await wait(left);
    entry.end = performance.now();
    this.next();
  }

  async speak(event) {
    await this.ready; // the first call waits for the autoplay probe
    if (!this.soundOn) return "visual";
    if (this.mode === "browser" && this.browserVoice()) {
      await this.speakWithBrowser(event.text);
      return "browser";
    }
    await this.playPack(event);
    return "pack";
  }

  playPack(event) {
    const params = new URLSearchParams({ site: this.site, number: event.number, desk: event.desk, v: this.version });
    return new Promise((resolve, reject) => {
      const audio = this.audio;
      const done = (ok) => {
        clearTimeout(timer);
        audio.onended = audio.onerror = null;
        ok ? resolve() : reject(new Error("audio"));
      };
      const timer = setTimeout(() => done(true), MAX_AUDIO_MS);
      audio.onended = () => done(true);
      audio.onerror = () => done(false);
      audio.volume = 1;
      audio.src = `${this.audioUrl}?${params}`;
      audio.play().catch((error) => {
        if (error.name === "NotAllowedError") this.askForTap();
        done(false);
      });
    });
  }

  browserVoice() {
    if (!("speechSynthesis" in window)) return null;
    return speechSynthesis.getVoices().find((v) => v.lang.replace("_", "-").toLowerCase() === "vi-vn" && v.localService) || null;
  }

  speakWithBrowser(text) {
    return new Promise((resolve) => {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.voice = this.browserVoice();
      utterance.lang = "vi-VN";
      utterance.rate = 0.9;
      const timer = setTimeout(resolve, MAX_AUDIO_MS);
      utterance.onend = utterance.onerror = () => { clearTimeout(timer); resolve(); };
      speechSynthesis.speak(utterance);
    });
  }

  showCallout(event) {
    const callout = this.root.querySelector(".callout");
    callout.querySelector(".callout-number").textContent = event.number;
    callout.querySelector(".callout-desk").textContent = `${this.root.dataset.textDesk} ${event.desk}`;
    callout.hidden = false;
    callout.classList.remove("show");
    void callout.offsetWidth; // restart the flash for each call
    callout.classList.add("show");
    this.root.dataset.announcing = event.text;
  }

  hideCallout() {
    this.root.querySelector(".callout").hidden = true;
    delete this.root.dataset.announcing;
  }
}
