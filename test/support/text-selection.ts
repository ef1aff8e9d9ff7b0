// Selecting text with the mouse in a real Chromium: a drag over characters of the span editor's
// text (the browser tests of span labelling, in the workbench and in the reviewers' fix editor).
import type { Page } from 'playwright-core';

/** Drag the mouse over characters [start, end) of the text in `[data-testid="span-text"]` (the first, or the one inside `scope`). */
export async function selectText(page: Page, start: number, end: number, scope = 'body'): Promise<void> {
  const box = await page.evaluate(
    ({ start, end, scope }) => {
      const root = document.querySelector(scope)!.querySelector('[data-testid="span-text"]')!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const locate = (at: number): [Node, number] => {
        let seen = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.textContent!.length;
          if (at < seen + len) return [n, at - seen];
          seen += len;
        }
        throw new Error(`offset ${at} is outside the text`);
      };
      const rectOf = (at: number) => {
        walker.currentNode = root;
        const [node, offset] = locate(at);
        const r = document.createRange();
        r.setStart(node, offset);
        r.setEnd(node, offset + 1);
        return r.getBoundingClientRect();
      };
      const a = rectOf(start);
      const b = rectOf(end - 1);
      return { x1: a.left + 1, x2: b.right - 1, y: (a.top + a.bottom) / 2 };
    },
    { start, end, scope },
  );
  await page.mouse.move(box.x1, box.y);
  await page.mouse.down();
  await page.mouse.move(box.x2, box.y, { steps: 6 });
  await page.mouse.up();
}
