#!/usr/bin/env node
/**
 * Draws the extension's icon, images/icon.png (128×128 RGBA): a dark rounded square holding
 * three flow log records as rows of coloured fields, the way the editor colours them, with the
 * middle one rejected (red). Shapes are sampled 4×4 per pixel for smooth edges; the PNG is written
 * with node's zlib, so nothing needs installing. Run: node scripts/make-icon.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A rounded rectangle: [x, y, width, height, radius, [r, g, b]]. Later shapes paint over earlier ones. */
const BACKGROUND = [4, 4, 120, 120, 22, [22, 34, 56]];
const FIELD = { version: [120, 144, 176], address: [86, 182, 240], port: [250, 196, 82], accept: [92, 200, 120], reject: [236, 88, 88] };
/** Each record: fields as [width, colour], laid out left to right with 5-pixel gaps. */
const RECORDS = [
  [[8, FIELD.version], [34, FIELD.address], [16, FIELD.port], [30, FIELD.accept]],
  [[8, FIELD.version], [34, FIELD.address], [16, FIELD.port], [30, FIELD.reject]],
  [[8, FIELD.version], [34, FIELD.address], [16, FIELD.port], [30, FIELD.accept]],
];

function shapes() {
  const list = [BACKGROUND];
  RECORDS.forEach((fields, row) => {
    let x = 13;
    const y = 31 + row * 26;
    for (const [width, colour] of fields) {
      list.push([x, y, width, 14, 5, colour]);
      x += width + 5;
    }
  });
  return list;
}

function inside([x, y, width, height, radius], px, py) {
  if (px < x || py < y || px >= x + width || py >= y + height) return false;
  const cx = Math.min(Math.max(px, x + radius), x + width - radius);
  const cy = Math.min(Math.max(py, y + radius), y + height - radius);
  return (px - cx) ** 2 + (py - cy) ** 2 <= radius ** 2;
}

function render() {
  const list = shapes();
  const rgba = new Uint8Array(SIZE * SIZE * 4);
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = px + (sx + 0.5) / SAMPLES;
          const y = py + (sy + 0.5) / SAMPLES;
          let colour;
          for (const shape of list) if (inside(shape, x, y)) colour = shape[5];
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a++;
        }
      }
      const at = (py * SIZE + px) * 4;
      if (a > 0) {
        rgba[at] = Math.round(r / a);
        rgba[at + 1] = Math.round(g / a);
        rgba[at + 2] = Math.round(b / a);
        rgba[at + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
      }
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function png(rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  // Each scanline starts with filter type 0 (none).
  const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  for (let y = 0; y < SIZE; y++) Buffer.from(rgba.buffer, y * SIZE * 4, SIZE * 4).copy(raw, y * (SIZE * 4 + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const target = join(root, 'images', 'icon.png');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, png(render()));
console.log(`wrote ${target}`);
