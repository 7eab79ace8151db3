import { createTheme, darken, defaultVariantColorsResolver, Drawer, Modal, Notification, parseThemeColor, type CSSVariablesResolver, type VariantColorsResolver } from '@mantine/core';

/**
 * Text in a colour (a red reason, a light badge's label) must reach 4.5:1 in both schemes
 * (axe-core's color-contrast rule): a deep shade on light backgrounds, a pale one on dark.
 * Use as `c="var(--pc-text-red)"`.
 */
const textVar = (color: string): string => `var(--pc-text-${color})`;

/** Light, outline and subtle variants take their label colour from --pc-text-*. */
const variantColorResolver: VariantColorsResolver = (input) => {
  const base = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || !['light', 'outline', 'subtle', 'transparent'].includes(input.variant)) return base;
  return { ...base, color: textVar(parsed.color), hoverColor: textVar(parsed.color) };
};

/**
 * One theme for both colour schemes, following the OS. Filled buttons and badges pick black or
 * white text by their background; the threshold keeps every theme colour at AA.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  autoContrast: true,
  // Users who ask the OS for less motion get no transitions.
  respectReducedMotion: true,
  luminanceThreshold: 0.17,
  focusRing: 'auto',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
  defaultRadius: 'md',
  variantColorResolver,
  components: {
    // Mantine's close button on a toast has no name of its own.
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close details' } } }),
  },
});

export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-error': darken(t.colors.red[9], 0.15),
    '--mantine-color-placeholder': t.colors.gray[6],
  };
  const dark: Record<string, string> = {
    '--mantine-color-dimmed': t.colors.dark[1],
    '--mantine-color-error': t.colors.red[3],
    '--mantine-color-placeholder': t.colors.dark[2],
  };
  for (const [name, shades] of Object.entries(t.colors)) {
    light[`--pc-text-${name}`] = darken(shades[9], 0.3);
    dark[`--pc-text-${name}`] = shades[3];
  }
  return { variables: {}, light, dark };
};
