/**
 * File names and paths are byte strings, as in Linux: any byte but NUL (and
 * `/` inside a name). tskern keeps them as JavaScript strings holding one
 * character per byte (Latin-1, code points 0..255), so a name read from user
 * memory round-trips exactly and its `.length` is its length in bytes
 * (NAME_MAX and PATH_MAX count bytes).
 */

/** A byte string from raw bytes (user memory, a scenario literal). */
export function byteStringFromBytes(bytes: Uint8Array): string {
  // fromCharCode.apply takes the typed array as it is; spreading it would run
  // the iterator protocol (a quarter of a small-file create in profiles).
  const CHUNK = 8192;
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let s = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(bytes.length, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/** The bytes of a byte string (each character's low 8 bits). */
export function bytesFromByteString(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/**
 * A byte string from any JavaScript string: Latin-1 strings are taken as they
 * are, others are UTF-8 encoded (so `"é"` from host code names the same file
 * a C program would create with that UTF-8 name).
 */
export function toByteString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) return byteStringFromBytes(new TextEncoder().encode(s));
  }
  return s;
}
