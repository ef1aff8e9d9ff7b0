// Image types and sizes read from the first bytes: PNG (made here), GIF, JPEG and WebP headers.
import { describe, expect, it } from 'vitest';
import { pngOf } from '../../../test/support/png.js';
import { imageHeader } from './image-header.js';

describe('imageHeader', () => {
  it('reads the type and size of PNG, GIF, JPEG and WebP, and nothing else', () => {
    expect(imageHeader(pngOf(64, 48))).toEqual({ content_type: 'image/png', width: 64, height: 48 });
    const gif = Uint8Array.from([...Buffer.from('GIF89a'), 0x20, 0x01, 0x10, 0x00, 0, 0, 0]);
    expect(imageHeader(gif)).toEqual({ content_type: 'image/gif', width: 288, height: 16 });
    // SOI, an APP0 segment of length 4, then SOF0 with height 480 and width 640.
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0, 0, 0, 0, 0]);
    expect(imageHeader(jpeg)).toEqual({ content_type: 'image/jpeg', width: 640, height: 480 });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0, 'ascii');
    webp.write('WEBPVP8X', 8, 'ascii');
    webp.writeUIntLE(99, 24, 3);
    webp.writeUIntLE(49, 27, 3);
    expect(imageHeader(webp)).toEqual({ content_type: 'image/webp', width: 100, height: 50 });
    expect(imageHeader(Buffer.from('not an image at all'))).toBeUndefined();
  });
});
