"""How text is laid out in the browser: where lines break, and whether a word was cut
without a hyphen (what happens to long German compounds on narrow screens)."""

from __future__ import annotations

# Every line break inside the element's text, with the characters around it. A break
# is fine after a space, a hyphen or a soft hyphen (which the browser draws as "-").
LINE_BREAKS = """(element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const chars = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.data.length; i += 1) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = [...range.getClientRects()].filter((r) => r.width > 0).pop();
            chars.push({ c: node.data[i], top: rect ? rect.top : null });
        }
    }
    const breaks = [];
    let previous = -1;
    chars.forEach((char, index) => {
        if (char.top === null) return;
        if (previous >= 0 && char.top > chars[previous].top + 2) {
            const between = chars.slice(previous, index).map((x) => x.c).join('');
            breaks.push({
                around: chars.slice(Math.max(0, previous - 8), index + 8).map((x) => x.c).join(''),
                proper: /[\\s\\u00ad-]/.test(between),
            });
        }
        previous = index;
    });
    return {
        breaks,
        overflows: element.scrollWidth > element.clientWidth + 1,
        right: element.getBoundingClientRect().right,
    };
}"""


def assert_words_break_at_hyphens(page, selector: str, name: str) -> None:
    """Text in ``selector`` fits its box and wraps only at spaces and hyphens."""
    for index, element in enumerate(page.locator(selector).all()):
        lines = element.evaluate(LINE_BREAKS)
        assert not lines["overflows"], f"{name} {selector}[{index}] overflows: {lines}"
        cut = [item["around"] for item in lines["breaks"] if not item["proper"]]
        assert not cut, f"{name} {selector}[{index}]: a word is cut without a hyphen: {cut}"


def wait_for_soft_hyphens(locator, timeout_ms: int = 10_000) -> None:
    """Wait until ``locator``'s text holds a soft hyphen: the German hyphenation patterns
    load after the first render, and the text is hyphenated once they are there.
    (Playwright's text matching ignores soft hyphens, so this reads textContent.)"""
    locator.page.wait_for_function(
        "(element) => element.textContent.includes('\\u00ad')",
        arg=locator.element_handle(timeout=timeout_ms),
        timeout=timeout_ms,
    )
