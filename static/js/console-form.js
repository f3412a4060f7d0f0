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

/** Show only the counter that belongs to the chosen category, and the failure reason on failure. */
function syncVisibility(form) {
  const counterFor = JSON.parse(form.dataset.counterFor || "{}");
  const wanted = counterFor[checked(form, "category")];
  form.querySelectorAll("[data-counter]").forEach((box) => {
    box.hidden = box.dataset.counter !== wanted && !(Number(box.querySelector("input").value) > 0);
  });
  const failed = form.querySelector("[data-when-failed]");
  if (failed) failed.hidden = checked(form, "outcome") !== "failed";
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
    if (input) input.value = last[name] || 0;
  });
  const reason = form.querySelector('select[name="failure_reason"]');
  if (reason) reason.value = last.failure_reason || "";
  syncVisibility(form);
}

/** Wire an assist form: chips, counters, same-as-last, and one submission only. */
export function wireAssistForm(form, sameButton) {
  if (!form) return;
  allowDeselect(form);
  syncVisibility(form);
  form.addEventListener("change", () => syncVisibility(form));
  if (sameButton) sameButton.addEventListener("click", () => fillSameAsLast(form));
  form.addEventListener("submit", () => {
    form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
  });
}
