// Test images, made with sharp at test time (no binary fixtures): photos with camera metadata
// and GPS, transparent PNGs, other formats, impostors and a decompression bomb.
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

const XMP =
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>XmpSecretAuthor</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';

/** A smooth colour field, so encoders behave as they do on photos. */
function gradient(width: number, height: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = Math.round((x * 255) / width);
      raw[i + 1] = Math.round((y * 255) / height);
      raw[i + 2] = Math.round(128 + 60 * Math.sin(x / 37 + y / 53));
    }
  }
  return raw;
}

export interface PhotoOptions {
  /** Camera make, model and GPS position in EXIF, an author in XMP and a Display P3 profile. */
  metadata?: boolean;
  /** EXIF orientation (6 = the camera was turned: show rotated 90° clockwise). */
  orientation?: number;
  /** Left half red, right half blue (to see where the pixels went after rotation). */
  halves?: boolean;
}

export async function photoJpeg(width: number, height: number, options: PhotoOptions = {}): Promise<Buffer> {
  let raw = gradient(width, height);
  if (options.halves) {
    raw = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(x < width / 2 ? [220, 20, 20] : [20, 20, 220], (y * width + x) * 3);
  }
  let image = sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 });
  if (options.metadata) {
    image = image
      .withExif({
        IFD0: { Make: 'SecretCam', Model: 'Spy One', Software: 'LeakyEditor 2.0' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 41/1 2184/100', GPSLongitudeRef: 'E', GPSLongitude: '51/1 23/1 1056/100' },
      })
      .withXmp(XMP)
      .withIccProfile('p3');
  }
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  return image.toBuffer();
}

/** A PNG whose left half is fully transparent. */
export async function transparentPng(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(x < width / 2 ? [0, 0, 0, 0] : [30, 120, 200, 255], (y * width + x) * 4);
  return sharp(raw, { raw: { width, height, channels: 4 } }).png().toBuffer();
}

export const photoWebp = async (width: number, height: number) => sharp(gradient(width, height), { raw: { width, height, channels: 3 } }).webp().toBuffer();
export const photoAvif = async (width: number, height: number) => sharp(gradient(width, height), { raw: { width, height, channels: 3 } }).avif({ effort: 0 }).toBuffer();
export const gif = async (width: number, height: number) => sharp(gradient(width, height), { raw: { width, height, channels: 3 } }).gif().toBuffer();
export const opaquePng = async (width: number, height: number) => sharp(gradient(width, height), { raw: { width, height, channels: 3 } }).png().toBuffer();

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A real decompression bomb: a valid 1-bit PNG of width × height white pixels, a few kilobytes
 * on disk that would take hundreds of megabytes decoded.
 */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  const row = Math.ceil(width / 8) + 1;
  const idat = deflateSync(Buffer.alloc(row * height), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * The GPS tags of an EXIF block as sharp returns it (`metadata().exif`): the entries of the
 * GPS IFD that IFD0 points to (tag 0x8825), or [] when there is none.
 */
export function exifGpsTags(exif: Buffer | undefined): number[] {
  if (!exif) return [];
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  const le = tiff.subarray(0, 2).toString('latin1') === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  for (let i = 0; i < u16(ifd0); i++) {
    const entry = ifd0 + 2 + 12 * i;
    if (u16(entry) !== 0x8825) continue;
    const gps = u32(entry + 8);
    return Array.from({ length: u16(gps) }, (_, j) => u16(gps + 2 + 12 * j));
  }
  return [];
}

/** A multipart/form-data body as a browser's FormData would send it. */
export async function formData(fields: Record<string, string>, file?: { data: Buffer; filename: string; type?: string; field?: string }): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  if (file) form.append(file.field ?? 'file', new Blob([new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' }), file.filename);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
}
