import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The application menu, built only from Electron's standard roles so every item behaves as
 * the OS expects (copy/paste, zoom, full screen, hide, quit) with no code of ours behind it.
 * Developer items (reload, DevTools) are left out of packaged builds.
 */
export function appMenuTemplate(options: { platform: NodeJS.Platform; packaged: boolean }): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const developer: MenuItemConstructorOptions[] = options.packaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  const app: MenuItemConstructorOptions[] = mac
    ? [
        {
          role: 'appMenu',
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [
    ...app,
    { role: 'fileMenu', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    {
      role: 'editMenu',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      role: 'viewMenu',
      submenu: [
        ...developer,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'windowMenu',
      submenu: mac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
  ];
}

export function installAppMenu(options: { platform: NodeJS.Platform; packaged: boolean }): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options)));
}
