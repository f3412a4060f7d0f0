// The assist form's helpers, shared by the console and field logging: chips, counters, "same as last".

/** Let a tapped, already-chosen radio chip be un-chosen (optional chips like age band). */
function allowDeselect(form) {
  form.querySelectorAll(".chips input[type=radio]").forEach((input) => {
    const optional = !["category", "outcome", "channel"].includes(input.name);
    if (!optional) return;
    input.addEventListener("pointerdown", () => { input.dataset.was = input.checked ? "1" : ""; });
    input.addEventListener("click", () => {
      if (input.dataset.was === "1") { input.checked = false; input.dataset.was = ""; }
    });
  });
}

function checked(form, name) {
  const input = form.querySelector(`input[name="${name}"]:checked`);
  return input ? input.value : "";
}

/**
 * Show the counter that belongs to the chosen category beside the outcome. A counter the helper
 * has not set follows the rule of services.result_counters: 1 for a completed assist of its
 * category, 0 otherwise; one the helper set (stepper, typing, "same as last") keeps its value.
 */
function syncVisibility(form) {
  const counterFor = JSON.parse(form.dataset.counterFor || "{}");
  const wanted = counterFor[checked(form, "category")];
  const done = checked(form, "outcome") === "done";
  form.querySelectorAll("[data-counter]").forEach((box) => {
    const input = box.querySelector("input");
    if (input.dataset.set !== "1") input.value = box.dataset.counter === wanted && done ? "1" : "0";
    box.hidden = box.dataset.counter !== wanted && !(Number(input.value) > 0);
  });
  const failed = form.querySelector("[data-when-failed]");
  if (failed) failed.hidden = checked(form, "outcome") !== "failed";
  const other = form.querySelector("[data-duration-other]");
  if (other) other.hidden = checked(form, "duration") !== "other";
}

/** Give each counter a − value + stepper big enough to tap; a counter left empty is the rule's. */
function wireCounters(form) {
  form.querySelectorAll("[data-counter] input").forEach((input) => {
    if (input.value !== "") input.dataset.set = "1";  // a stored or typed value (corrections, errors)
    const box = document.createElement("div");
    box.className = "counter-stepper";
    input.replaceWith(box);
    const button = (text, step, label) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "btn";
      b.textContent = text;
      b.dataset.counterStep = String(step);
      b.setAttribute("aria-label", `${label} ${input.labels[0] ? input.labels[0].textContent : ""}`.trim());
      b.addEventListener("click", () => {
        input.value = String(Math.min(Number(input.max) || 50, Math.max(0, (Number(input.value) || 0) + step)));
        input.dataset.set = "1";
        syncVisibility(form);
      });
      return b;
    };
    box.append(button("−", -1, "−1"), input, button("+", 1, "+1"));
    input.addEventListener("input", () => { input.dataset.set = "1"; });
  });
}

/** Typing another duration chooses "khác"; closing the referral chip forgets the platform. */
function wireExtras(form) {
  const otherInput = form.querySelector('input[name="duration_other"]');
  if (otherInput) otherInput.addEventListener("input", () => setRadio(form, "duration", "other"));
  const referral = form.querySelector("[data-referral]");
  if (referral) {
    referral.addEventListener("toggle", () => {
      if (!referral.open) setRadio(form, "platform_code", "");
    });
  }
}

function setRadio(form, name, value) {
  form.querySelectorAll(`input[name="${name}"]`).forEach((input) => { input.checked = input.value === value; });
}

/** Fill the form with the helper's last entry ("Giống lần trước"); the ticket stays as it is. */
function fillSameAsLast(form) {
  const last = JSON.parse(form.dataset.last || "null");
  if (!last) return;
  ["category", "outcome", "channel", "age_band", "gender"].forEach((name) => setRadio(form, name, last[name] || ""));
  form.querySelectorAll('input[name="target_groups"]').forEach((input) => {
    input.checked = last.target_groups.includes(input.value);
  });
  ["vneid_activated", "dossiers_submitted", "payments_made", "apps_installed"].forEach((name) => {
    const input = form.querySelector(`input[name="${name}"]`);
    if (input) { input.value = last[name] || 0; input.dataset.set = "1"; }
  });
  setRadio(form, "platform_code", last.platform_code || "");
  const referral = form.querySelector("[data-referral]");
  if (referral) referral.open = Boolean(last.platform_code);
  if (last.duration && form.querySelector('input[name="duration"]')) {
    const chip = form.querySelector(`input[name="duration"][value="${last.duration}"]`);
    setRadio(form, "duration", chip ? String(last.duration) : "other");
    if (!chip) form.querySelector('input[name="duration_other"]').value = last.duration;
  }
  const reason = form.querySelector('select[name="failure_reason"]');
  if (reason) reason.value = last.failure_reason || "";
  syncVisibility(form);
}

/** Wire an assist form: chips, counters, same-as-last, and one submission only. */
export function wireAssistForm(form, sameButton) {
  if (!form) return;
  allowDeselect(form);
  wireCounters(form);
  wireExtras(form);
  syncVisibility(form);
  form.addEventListener("change", () => syncVisibility(form));
  if (sameButton) sameButton.addEventListener("click", () => fillSameAsLast(form));
  form.addEventListener("submit", () => {
    form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
  });
}
