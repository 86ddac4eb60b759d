import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PNG_SIGNATURE, TRAY_COLORS, appIconPng, crc32, encodePng, trayIconPng } from './icons';
import { TRAY_STATES } from './tray';

/** A minimal PNG reader for what encodePng writes: checks every chunk's CRC, returns RGBA. */
function decode(png: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (;;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

const pixel = (img: { width: number; rgba: Buffer }, x: number, y: number) => [...img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];

describe('icons', () => {
  it('crc32 matches the reference value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('encodePng round-trips and refuses a wrong buffer size', () => {
    const rgba = Buffer.from([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
    const img = decode(encodePng(2, 2, rgba));
    expect(img.rgba.equals(rgba)).toBe(true);
    expect(() => encodePng(2, 2, Buffer.alloc(3))).toThrow(RangeError);
  });

  for (const state of TRAY_STATES) {
    it(`the ${state} tray icon is its colour, transparent in the corners, at 16 and 32 px`, () => {
      for (const size of [16, 32]) {
        const img = decode(trayIconPng(state, size));
        expect([img.width, img.height]).toEqual([size, size]);
        expect(pixel(img, 0, 0)[3]).toBe(0);
        // The left edge of the circle/ring, mid-height, is solid state colour.
        const edge = pixel(img, Math.round(size * 0.12), Math.floor(size / 2));
        expect(edge.slice(0, 3)).toEqual([...TRAY_COLORS[state]]);
        expect(edge[3]).toBe(255);
      }
    });
  }

  it('the four tray icons differ in shape, not only in colour', () => {
    const alpha = (s: (typeof TRAY_STATES)[number]) => {
      const { rgba } = decode(trayIconPng(s, 32));
      return Buffer.from(rgba.filter((_, i) => i % 4 === 3));
    };
    const white = (s: (typeof TRAY_STATES)[number]) => {
      const { rgba } = decode(trayIconPng(s, 32));
      let n = 0;
      for (let i = 0; i < rgba.length; i += 4) if (rgba[i] === 255 && rgba[i + 1] === 255 && rgba[i + 2] === 255) n++;
      return n;
    };
    expect(alpha('idle').equals(alpha('running'))).toBe(false);
    const whites = TRAY_STATES.map(white);
    expect(new Set(whites).size).toBe(TRAY_STATES.length);
  });

  it('the application icon is 512 px, opaque in the middle', () => {
    const img = decode(appIconPng(512));
    expect([img.width, img.height]).toEqual([512, 512]);
    expect(pixel(img, 256, 400)[3]).toBe(255);
  });
});
