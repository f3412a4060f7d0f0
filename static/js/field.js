// Field logging on the helper's phone: the shared assist-form helpers, plus the tally's +/- buttons.
import { wireAssistForm } from "./console-form.js";

const form = document.getElementById("field-form");
wireAssistForm(form, document.getElementById("same-as-last"));

const count = form.querySelector('input[name="count"]');
if (count) {
  const box = document.createElement("div");
  box.className = "stepper";
  [["−", -1], ["+", 1], ["+10", 10]].forEach(([text, step]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn";
    button.textContent = text;
    button.dataset.step = String(step);
    button.addEventListener("click", () => {
      const value = Math.min(200, Math.max(1, (Number(count.value) || 1) + step));
      count.value = String(value);
    });
    box.append(button);
  });
  count.insertAdjacentElement("afterend", box);
}
