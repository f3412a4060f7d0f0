// Reads calls one after another, never two at once: the voice pack's WAV from the server,
// or the device's own vi-VN voice (?voice=browser), or only a visual flash when sound is off.
const SOUND_KEY = "kiosk.display.sound";
const VISUAL_MS = 3000;     // how long a call stays on screen without sound
const MAX_AUDIO_MS = 15000; // give up on an announcement that never ends

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Announcer {
  constructor(root, { audioUrl, site, mode, version }) {
    this.root = root;
    this.audioUrl = audioUrl;
    this.site = site;
    this.mode = mode === "browser" ? "browser" : "pack";
    this.version = version;
    this.queue = [];
    this.busy = false;
    this.soundOn = localStorage.getItem(SOUND_KEY) === "on";
    this.audio = new Audio();
    this.button = root.querySelector(".sound");
    this.button.addEventListener("click", () => this.toggleSound());
    this.showSound();
    window.boardAnnouncements = [];   // texts, in the order they were read
    window.boardAnnouncementLog = []; // {text, kind, number, desk, mode, start, end}
  }

  toggleSound() {
    this.soundOn = !this.soundOn;
    localStorage.setItem(SOUND_KEY, this.soundOn ? "on" : "off");
    if (this.soundOn && !this.busy) {
      // Playing inside the tap unlocks audio for the rest of the day (autoplay rule).
      this.audio.src = `${this.audioUrl}?site=${encodeURIComponent(this.site)}&number=A0&desk=1&v=${this.version}`;
      this.audio.volume = 0;
      this.audio.play().catch(() => {}).finally(() => { this.audio.pause(); this.audio.volume = 1; });
    }
    this.showSound();
  }

  showSound() {
    const data = this.root.dataset;
    this.button.setAttribute("aria-pressed", String(this.soundOn));
    this.button.classList.toggle("on", this.soundOn);
    this.button.querySelector(".sound-label").textContent = this.soundOn ? data.textSoundOn : data.textSoundOff;
  }

  askForTap() {
    // The browser forgot the tap (e.g. after a restart): keep the wish, show the button again.
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
