// The tray's state icons and the application icon, drawn in code (no binary assets to keep in
// sync): an RGBA raster with 4×4 supersampling, encoded as PNG. The tray icons differ in shape
// as well as colour (idle ring, running triangle, approval "!", failed "×"), so they read in
// monochrome trays and for colour-blind users.
import { deflateSync } from 'node:zlib';
import type { TrayState } from './tray';

export const TRAY_COLORS: Readonly<Record<TrayState, readonly [number, number, number]>> = {
  idle: [138, 143, 152],
  running: [59, 130, 246],
  approval: [245, 158, 11],
  failed: [239, 68, 68],
};

type Shape = (x: number, y: number) => boolean;
type Layer = { shape: Shape; rgb: readonly [number, number, number] };

/** x, y in [0, 1] (0,0 = top left). */
const disc = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx: number, cy: number, r: number, w: number): Shape => {
  const outer = disc(cx, cy, r);
  const inner = disc(cx, cy, r - w);
  return (x, y) => outer(x, y) && !inner(x, y);
};
const segment = (x1: number, y1: number, x2: number, y2: number, w: number): Shape => (x, y) => {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  return (x - (x1 + t * dx)) ** 2 + (y - (y1 + t * dy)) ** 2 <= (w / 2) ** 2;
};
const triangle = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape => (x, y) => {
  const s = (px: number, py: number, qx: number, qy: number) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by);
  const d2 = s(bx, by, cx, cy);
  const d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};
const roundedSquare = (m: number, r: number): Shape => (x, y) => {
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - m - r), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - m - r), 0);
  return qx * qx + qy * qy <= r * r;
};
const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));

const WHITE = [255, 255, 255] as const;

function trayLayers(state: TrayState): Layer[] {
  const rgb = TRAY_COLORS[state];
  if (state === 'idle') return [{ shape: ring(0.5, 0.5, 0.44, 0.14), rgb }];
  const base: Layer = { shape: disc(0.5, 0.5, 0.46), rgb };
  switch (state) {
    case 'running':
      return [base, { shape: triangle(0.38, 0.28, 0.38, 0.72, 0.74, 0.5), rgb: WHITE }];
    case 'approval':
      return [base, { shape: union(segment(0.5, 0.24, 0.5, 0.56, 0.14), disc(0.5, 0.74, 0.075)), rgb: WHITE }];
    case 'failed':
      return [base, { shape: union(segment(0.32, 0.32, 0.68, 0.68, 0.13), segment(0.68, 0.32, 0.32, 0.68, 0.13)), rgb: WHITE }];
  }
}

function appLayers(): Layer[] {
  // A rail switch: one track from the bottom that forks in two.
  const track = 0.07;
  return [
    { shape: roundedSquare(0.06, 0.18), rgb: [22, 24, 29] },
    { shape: segment(0.5, 0.84, 0.5, 0.52, track), rgb: [230, 232, 236] },
    { shape: segment(0.5, 0.52, 0.28, 0.2, track), rgb: TRAY_COLORS.running },
    { shape: segment(0.5, 0.52, 0.72, 0.2, track), rgb: TRAY_COLORS.approval },
    { shape: disc(0.5, 0.52, 0.075), rgb: [230, 232, 236] },
  ];
}

/** Rasterizes layers (painter's order) into straight-alpha RGBA, 4×4 samples per pixel. */
export function rasterize(layers: readonly Layer[], size: number): Buffer {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          for (let i = layers.length - 1; i >= 0; i--) {
            const layer = layers[i]!;
            if (layer.shape(x, y)) {
              r += layer.rgb[0];
              g += layer.rgb[1];
              b += layer.rgb[2];
              a += 1;
              break;
            }
          }
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        out[o] = Math.round(r / a);
        out[o + 1] = Math.round(g / a);
        out[o + 2] = Math.round(b / a);
        out[o + 3] = Math.round((255 * a) / (n * n));
      }
    }
  }
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Encodes straight-alpha RGBA (8 bits per channel) as a PNG. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  if (rgba.length !== width * height * 4) throw new RangeError(`encodePng: expected ${width * height * 4} bytes, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export function trayIconPng(state: TrayState, size: number): Buffer {
  return encodePng(size, size, rasterize(trayLayers(state), size));
}

export function appIconPng(size: number): Buffer {
  return encodePng(size, size, rasterize(appLayers(), size));
}

/** Tray icon sizes: 16 px at 1×, 32 px at 2× (macOS menu bar, HiDPI trays). */
export const TRAY_ICON_SIZES: readonly { scaleFactor: number; size: number }[] = [
  { scaleFactor: 1, size: 16 },
  { scaleFactor: 2, size: 32 },
];
