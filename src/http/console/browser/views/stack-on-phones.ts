/**
 * Lets a table's rows stack into cards on a phone (views-style.ts: `table.stack` below 600 px), each cell labelled with
 * its column's English header (`data-label`, shown by CSS before the value), so no column is scrolled out of sight.
 * Call it again after the body is re-filled.
 * @example const { box, body } = table('dead-letters', headers); body.replaceChildren(...rows); stackOnPhones(box)
 */
export function stackOnPhones(box: HTMLElement): void {
  const table = box.querySelector('table');
  if (table === null) return;
  table.classList.add('stack');
  const labels = [...table.querySelectorAll('thead th')].map((th) => th.firstChild?.textContent?.trim() ?? '');
  for (const tr of table.querySelectorAll('tbody tr')) {
    for (const [i, cell] of [...tr.children].entries()) cell.setAttribute('data-label', labels[i] ?? '');
  }
}
