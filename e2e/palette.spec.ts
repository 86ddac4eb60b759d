// The command palette opens with its first match selected, wherever the mouse pointer rests;
// the pointer chooses only when it moves.
import { expect, test } from './test';

test('the first match is selected on open; only a moving mouse moves the selection', async ({ ui, page }) => {
  await ui.open();
  // Rest the pointer where the palette's fourth option will appear, then open it from the keyboard.
  await page.keyboard.press('Control+k');
  const palette = ui.dialog('Command palette');
  const options = palette.getByRole('option');
  const fourth = (await options.nth(3).boundingBox())!;
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await page.mouse.move(fourth.x + fourth.width / 2, fourth.y + fourth.height / 2);

  await page.keyboard.press('Control+k');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(palette.getByRole('option', { selected: true })).toHaveCount(1);
  await expect(palette.getByRole('combobox')).toHaveAttribute('aria-activedescendant', (await options.first().getAttribute('id'))!);

  // Typing keeps the first match selected.
  await page.keyboard.type('work');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');

  // Moving the mouse chooses the option under it; the keys go on from there.
  await page.mouse.move(fourth.x + fourth.width / 2 + 5, fourth.y + fourth.height / 2);
  await expect(options.nth(3)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(4)).toHaveAttribute('aria-selected', 'true');
});
