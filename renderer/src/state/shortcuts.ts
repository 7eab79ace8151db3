/** The keyboard shortcuts, one table for the handlers and the help dialog. */
export const shortcuts = [
  { keys: 'alt+1', label: 'Alt+1', what: 'Servers overview' },
  { keys: 'alt+2', label: 'Alt+2', what: 'Tokens' },
  { keys: 'alt+3', label: 'Alt+3', what: 'Audit' },
  { keys: 'mod+shift+L', label: 'Ctrl/⌘+Shift+L', what: 'Lock down everything' },
  { keys: 'n', label: 'N', what: 'Add a server' },
  { keys: '/', label: '/', what: 'Search the open log' },
  { keys: 'shift+/', label: '?', what: 'Show these shortcuts' },
] as const;

export type ShortcutKeys = (typeof shortcuts)[number]['keys'];
