/**
 * Where a page's words are drawn, measured in the browser: every text of the page's cards (header,
 * filter bar, notices, each visual), as DOM text or as the SVG text of a chart, with its bounding
 * box. A box that leaves its card or overlaps another box of the card is a problem a reader sees:
 * a spilling tile value, labels of an axis run together, a label drawn over another.
 */
import type { Page } from 'playwright-core';

/** Each problem names the texts and the card, e.g. `"20K" overlaps "40K" in bar_popular_actions`. */
export async function textBoxProblems(page: Page): Promise<string[]> {
  // tsx compiles the function below with esbuild's keepNames, which calls a helper the page lacks.
  await page.evaluate('globalThis.__name = (target) => target');
  return page.evaluate(() => {
    const problems: string[] = [];
    const shown = (element: Element) => {
      const style = getComputedStyle(element);
      return style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0 && element.getClientRects().length > 0;
    };
    // Whether documents scroll sideways: a card wider than the window leaves the page.
    if (document.documentElement.scrollWidth > window.innerWidth) problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window`);
    const cards = Array.from(document.querySelectorAll('header, #filters, #error, .notice, .visual')).filter(shown);
    for (const card of cards) {
      const name = card.getAttribute('data-visual-id') || card.id || card.tagName.toLowerCase();
      const boxes: { readonly text: string; readonly rect: DOMRect }[] = [];
      const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        const text = node.textContent?.trim() ?? '';
        if (text === '' || !parent || parent.closest('svg, select') || !shown(parent)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of Array.from(range.getClientRects())) if (rect.width > 0 && rect.height > 0) boxes.push({ text, rect });
      }
      for (const text of Array.from(card.querySelectorAll('svg text'))) {
        const rect = text.getBoundingClientRect();
        if (shown(text) && rect.width > 0 && (text.textContent ?? '').trim() !== '') boxes.push({ text: (text.textContent ?? '').trim(), rect });
      }
      const outer = card.getBoundingClientRect();
      for (const { text, rect } of boxes) {
        if (rect.left < outer.left - 0.5 || rect.right > outer.right + 0.5 || rect.top < outer.top - 0.5 || rect.bottom > outer.bottom + 0.5) {
          problems.push(`"${text}" leaves its card ${name}`);
        }
      }
      boxes.forEach((a, index) => {
        for (const b of boxes.slice(index + 1)) {
          const width = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
          const height = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
          if (width > 1 && height > 1) problems.push(`"${a.text}" overlaps "${b.text}" in ${name}`);
        }
      });
    }
    return problems;
  });
}

/**
 * The texts of a chart drawn over one of its filled shapes (a funnel step): such a label is only
 * legible while the shape is wide enough and of a contrasting colour, which a narrow last step is not.
 * Each text's box (inset by 2 px) is tested against each shape's own outline, not its bounding box.
 */
export async function labelsOverShapes(page: Page, visualId: string): Promise<string[]> {
  await page.evaluate('globalThis.__name = (target) => target');
  return page.evaluate((id) => {
    const chart = document.querySelector(`[data-visual-id="${id}"] svg`);
    if (!chart) return [`${id} draws no chart`];
    const filled = (shape: Element) => !['none', 'transparent', ''].includes(shape.getAttribute('fill') ?? '') && shape.getAttribute('fill-opacity') !== '0';
    const shapes = Array.from(chart.querySelectorAll('path')).filter(filled);
    const found: string[] = [];
    for (const text of Array.from(chart.querySelectorAll('text'))) {
      const box = text.getBBox();
      const xs = [box.x + 2, box.x + box.width / 2, box.x + box.width - 2];
      const ys = [box.y + 2, box.y + box.height / 2, box.y + box.height - 2];
      const points = xs.flatMap((x) => ys.map((y) => new DOMPoint(x, y)));
      if (shapes.some((shape) => points.some((point) => shape.isPointInFill(point)))) found.push((text.textContent ?? '').trim());
    }
    return found;
  }, visualId);
}
