// MenuSpec (plain data) -> Electron's menu template. Type-only import of electron: this runs
// (and is tested) in plain Node; only the caller hands the result to Menu.buildFromTemplate.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuSpec, ShellAction } from './actions';

export function toTemplate(spec: readonly MenuSpec[], dispatch: (action: ShellAction) => void): MenuItemConstructorOptions[] {
  return spec.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { id: item.id, label: item.label, enabled: false };
      case 'role':
        return item.label ? { role: item.role, label: item.label } : { role: item.role };
      case 'submenu':
        return { id: item.id, label: item.label, submenu: toTemplate(item.items, dispatch) };
      case 'action': {
        const options: MenuItemConstructorOptions = {
          id: item.id,
          label: item.label,
          enabled: item.enabled ?? true,
          click: () => dispatch(item.action),
        };
        if (item.accelerator) options.accelerator = item.accelerator;
        return options;
      }
    }
  });
}
