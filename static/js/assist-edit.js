// The correction page wires its assist form like the console does (no inline script: CSP).
import { wireAssistForm } from "./console-form.js";

wireAssistForm(document.getElementById("edit-form"), null);
