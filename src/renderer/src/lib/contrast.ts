// WCAG 2.x contrast arithmetic on #rrggbb colours, for the theme's contrast test (and anything
// that needs to pick a readable colour). sRGB only, as the theme defines its colours.

export type Rgb = readonly [number, number, number];

export function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = Number.parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** `color-mix(in srgb, a p%, b)`, or `a` at opacity p painted over `b` (the same arithmetic). */
export function mix(a: Rgb, p: number, b: Rgb): Rgb {
  return [0, 1, 2].map((i) => a[i]! * p + b[i]! * (1 - p)) as unknown as Rgb;
}

/** Relative luminance (WCAG 2.1). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Contrast ratio, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
