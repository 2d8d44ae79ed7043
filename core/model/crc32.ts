// Written here rather than taken from npm: it is twenty lines, and it must run synchronously in the browser and in Node.

/** The reflected IEEE 802.3 polynomial (as in zlib, PNG and gzip). */
const POLYNOMIAL = 0xedb88320;

/** Remainders of every byte value, so the loop does one table lookup per byte. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 (IEEE, the zlib/PNG checksum) of `bytes`, as an unsigned 32-bit integer.
 * `crc32(new TextEncoder().encode('123456789'))` is `0xcbf43926`.
 */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
