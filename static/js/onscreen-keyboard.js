// The kiosk's on-screen keyboard: a touchscreen in kiosk-mode Chromium has no keyboard, and Chromium
// on Linux shows none of its own. Letters for the name, a keypad for the phone; the keys and their
// words are in templates/_partials/_onscreen_keyboard.html.
//
// Vietnamese marks with nothing to learn: right after a vowel (or d) the row above the letters shows
// that letter with each tone and its sister shapes (a → a á à ả ã ạ ă â). A tap puts the chosen one
// in its place, the way one writes a letter and then its mark, and a later tap on the row corrects
// it. Telex (aa → â, s → sắc) would ask an elderly citizen to know a typing convention first.
//
// A physical keyboard keeps working: nothing here stops a key press. A tap on a key is a pointer
// event and an input event, which touch.js counts as activity for the idle reset.

// Each vowel with its tones in the order taught at school: ngang, sắc, huyền, hỏi, ngã, nặng.
const TONES = ["aáàảãạ", "ăắằẳẵặ", "âấầẩẫậ", "eéèẻẽẹ", "êếềểễệ", "iíìỉĩị", "oóòỏõọ", "ôốồổỗộ",
  "ơớờởỡợ", "uúùủũụ", "ưứừửữự", "yýỳỷỹỵ"];
const SHAPES = ["aăâ", "eê", "oôơ", "uư", "dđ"];
// The same rule as PHONE_RE in kiosk/touch/forms.py (tests/browser/test_onscreen_keyboard.py checks).
const PHONE_RE = /^(0|\+84)[0-9]{9,10}$/;
const PHONE_DIGITS = 11;         // 0 and ten digits: the longest number PHONE_RE takes from the keypad
const WORD_START = new Set([undefined, " ", "'", "-"]);  // a name's words start with a capital
const MARGIN = 16;               // px kept between the keyboard and what must stay visible

function variantsOf(letter) {
  const lower = letter.toLowerCase();
  const toned = TONES.find((row) => row.includes(lower));
  const shape = toned ? toned[0] : lower;
  const tone = toned ? toned.indexOf(lower) : 0;
  const family = SHAPES.find((shapes) => shapes.includes(shape)) || shape;
  if (!toned && family.length < 2) return [];
  const sisters = [...family].filter((s) => s !== shape)
    .map((s) => (TONES.find((row) => row[0] === s) || s)[tone]);  // â with sắc → á, ắ
  const upper = letter !== lower;
  return [...(toned || shape), ...sisters].map((c) => (upper ? c.toUpperCase() : c));
}

function phoneDigits(value) {
  return value.replace(/[\s.\-]/g, "");  // what the form strips before checking
}

function grouped(number) {
  // 0912 345 678 as in the form's example; an 11-digit landline as 024 3825 1234.
  if (!/^[0-9]+$/.test(number)) return number;
  const sizes = number.length > 10 ? [3, 4, 4] : [4, 3, 3];
  const parts = [];
  let at = 0;
  for (const size of sizes) {
    if (at < number.length) parts.push(number.slice(at, at + size));
    at += size;
  }
  return parts.join(" ");
}

class OnScreenKeyboard {
  constructor(board) {
    this.board = board;
    this.fields = new Map();
    for (const [kind, id] of [["letters", board.dataset.lettersFor], ["digits", board.dataset.digitsFor]]) {
      const input = document.getElementById(id);
      if (input) this.fields.set(input, kind);
    }
    this.keepInView = document.getElementById(board.dataset.keepInView);
    this.variants = board.querySelector("#osk-variants");
    this.hint = board.querySelector("#osk-hint");
    this.marksLabel = board.querySelector("#osk-marks-label");
    this.number = board.querySelector("#osk-number");
    this.error = board.querySelector("#osk-error");
    this.input = null;
    this.room = 0;

    board.addEventListener("mousedown", (event) => event.preventDefault());  // the caret stays put
    board.addEventListener("click", (event) => this.press(event.target.closest("button")));
    document.addEventListener("focusin", (event) => {
      if (this.fields.has(event.target)) this.open(event.target);
    });
    document.addEventListener("focusout", (event) => {
      if (event.target === this.input) this.leave(event.relatedTarget);
    });
    for (const input of this.fields.keys()) {
      // Before the tap focuses the field, so that a tablet's own keyboard does not open as well.
      input.addEventListener("pointerdown", () => input.setAttribute("inputmode", "none"));
      input.addEventListener("input", () => this.refresh());
      input.addEventListener("click", () => this.refresh());  // a tap moved the caret
      input.addEventListener("keyup", () => this.refresh());  // so did an arrow key
      input.addEventListener("keydown", (event) => {
        // Enter would send the form with its first button, "Lấy số ngay", which drops the contact.
        if (event.key === "Enter") { event.preventDefault(); this.done(); }
      });
    }
    window.addEventListener("resize", () => { if (this.input) this.place(); });
  }

  kind() {
    return this.fields.get(this.input);
  }

  open(input) {
    if (this.input && this.input !== input) this.input.removeAttribute("inputmode");
    this.input = input;
    input.setAttribute("inputmode", "none");
    for (const panel of this.board.querySelectorAll("[data-panel]")) {
      panel.hidden = panel.dataset.panel !== this.kind();
    }
    this.board.hidden = false;
    this.showError("");
    this.refresh();
    this.place();
  }

  leave(next) {
    if (next && this.board.contains(next)) {  // a key took the focus after all: give it back
      this.input.focus({ preventScroll: true });
    } else if (!this.fields.has(next)) {
      this.close();
    }
  }

  close() {
    this.board.hidden = true;
    if (this.input) this.input.removeAttribute("inputmode");
    this.input = null;
  }

  done() {
    if (!this.input) return;
    if (this.kind() === "digits") {
      const number = phoneDigits(this.input.value);
      if (number && !PHONE_RE.test(number)) {
        this.showError(this.board.dataset.phoneError);
        return;
      }
    }
    this.input.blur();
    this.close();
  }

  press(key) {
    if (!key || !this.input) return;
    const { action, variant, key: char } = key.dataset;
    if (action === "done") this.done();
    else if (action === "backspace") this.erase();
    else if (action === "space") this.type(" ");
    else if (variant) this.replaceLast(variant);
    else if (char) this.type(this.kind() === "letters" && this.atWordStart() ? char.toUpperCase() : char);
  }

  caret() {
    const start = this.input.selectionStart ?? this.input.value.length;
    return { start, end: this.input.selectionEnd ?? start };
  }

  atWordStart() {
    return WORD_START.has(this.input.value.slice(0, this.caret().start).at(-1));
  }

  type(text) {
    const { start, end } = this.caret();
    const length = this.input.value.length - (end - start);
    if (this.input.maxLength > 0 && length >= this.input.maxLength) return;
    if (this.kind() === "digits" && phoneDigits(this.input.value).length >= PHONE_DIGITS) return;
    this.input.setRangeText(text, start, end, "end");
    this.changed();
  }

  erase() {
    const { start, end } = this.caret();
    if (start === end && start === 0) return;
    this.input.setRangeText("", start === end ? start - 1 : start, end, "end");
    this.changed();
  }

  replaceLast(letter) {
    const { start } = this.caret();
    this.input.setRangeText(letter, start - 1, start, "end");
    this.changed();
  }

  changed() {
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  refresh() {
    if (!this.input) return;
    if (this.kind() === "digits") {
      this.number.textContent = grouped(phoneDigits(this.input.value));
      this.showError("");
      return;
    }
    const last = this.input.value.slice(0, this.caret().start).at(-1);
    this.board.classList.toggle("osk-upper", this.atWordStart());
    this.showVariants(last ? variantsOf(last) : [], last);
  }

  showVariants(letters, current) {
    this.variants.replaceChildren(...letters.map((letter) => {
      const key = document.createElement("button");
      key.type = "button";
      key.className = "osk-key osk-variant";
      key.dataset.variant = letter;
      key.textContent = letter;
      if (letter === current) key.setAttribute("aria-current", "true");
      return key;
    }));
    this.hint.hidden = letters.length > 0;
    this.marksLabel.hidden = letters.length === 0;
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = !message;
  }

  place() {
    const height = this.board.offsetHeight;
    // The room below the page only grows: taking it back as the keyboard closes (on focusout,
    // before the click) would move the very button under the citizen's finger.
    if (height > this.room) {
      this.room = height;
      document.body.style.setProperty("--osk-room", `${height}px`);
      document.body.classList.add("osk-room");
    }
    const limit = window.innerHeight - height - MARGIN;
    const top = (this.input.closest(".field") || this.input).getBoundingClientRect().top - MARGIN;
    const last = this.keepInView && this.keepInView.offsetParent ? this.keepInView : this.input;
    const bottom = last.getBoundingClientRect().bottom;
    let by = 0;
    if (bottom - top > limit) by = top;  // both do not fit: the field comes first
    else if (bottom > limit) by = bottom - limit;
    else if (top < 0) by = top;
    if (by) window.scrollBy({ top: by, behavior: "instant" });
  }
}

const board = document.getElementById("osk");
if (board) new OnScreenKeyboard(board);
