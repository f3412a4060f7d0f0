"""Helpers for driving the kiosk in Chromium: pairing through the admin screen, axe, sizes, QR."""
import io
import re
from pathlib import Path

from PIL import Image

from tests.live import sign_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}


def pairing_code(chromium, base, name="Kiosk sảnh") -> str:
    """Register a kiosk through the admin screen and return its one-time pairing code."""
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, base, "admin")
    page.goto(base + "/admin/kiosks")
    page.fill("#name", name)
    page.click("form.panel button[type=submit]")
    code = page.locator(".pairing-panel", has_text=name).locator(".pairing-code").inner_text()
    context.close()
    return re.fullmatch(r"[A-Z0-9]{8}", code.strip()).group(0)


def paired_kiosk(chromium, base, viewport, name="Kiosk sảnh", bypass_csp=True):
    """A browser context paired as a kiosk (the way an installer does it: type the code).

    The CSP is bypassed by default because axe is injected as a script tag and some waits are
    string predicates; tests/browser/test_csp.py pairs with bypass_csp=False to check the policy.
    """
    code = pairing_code(chromium, base, name)
    context = chromium.new_context(bypass_csp=bypass_csp, viewport=viewport, has_touch=True)
    page = context.new_page()
    page.goto(base + "/kiosk")
    page.fill("#code", code)
    page.click("button[type=submit]")
    page.wait_for_selector(".service-grid, .closed")
    return context, page


def axe_violations(page, impacts=("serious", "critical")) -> list:
    """Run axe-core (with the 7:1 enhanced contrast rule on); return serious/critical findings."""
    if not AXE.exists():
        raise AssertionError("axe-core is missing: run `make test` (npm install) first")
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {rules: {"color-contrast-enhanced": {enabled: true}}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
    }""")
    return [v for v in result if v["impact"] in impacts]


def undersized_targets(page) -> list:
    """Return visible tap targets smaller than PRODUCT.md §7 allows (64 px; primary 80 px)."""
    return page.evaluate("""() => {
        const out = [];
        for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select')) {
            const r = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
            if (el.closest('[hidden]')) continue;
            const primary = el.classList.contains('tbtn-primary') || !!el.closest('.service-grid');
            const min = primary ? 80 : 64;
            const size = el.type === 'checkbox' ? Math.min(r.width, r.height) : r.height;
            if (size < (el.type === 'checkbox' ? 44 : min) || r.width < 64 && el.type !== 'checkbox')
                out.push({text: (el.innerText || el.value || el.id).trim().slice(0, 40), w: r.width, h: r.height, min});
        }
        return out;
    }""")


def min_gap_between_targets(page) -> float:
    """Smallest gap between two visible tap targets that sit side by side or one above another."""
    return page.evaluate("""() => {
        const rects = [...document.querySelectorAll('a[href], button')]
            .filter(el => !el.closest('[hidden]'))
            .map(el => el.getBoundingClientRect()).filter(r => r.width && r.height);
        let min = Infinity;
        for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
            const a = rects[i], b = rects[j];
            const dx = Math.max(b.left - a.right, a.left - b.right);
            const dy = Math.max(b.top - a.bottom, a.top - b.bottom);
            if (dx < 0 && dy < 0) continue;  // nested or overlapping boxes: not neighbours
            const gap = Math.max(dx, dy);
            if (gap >= 0) min = Math.min(min, gap);
        }
        return min;
    }""")


def decode_qr(locator) -> list[str]:
    """Screenshot an element and decode the QR codes in it."""
    import zxingcpp

    image = Image.open(io.BytesIO(locator.screenshot()))
    return [r.text for r in zxingcpp.read_barcodes(image)]


def font_px(page, selector) -> float:
    return page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")
