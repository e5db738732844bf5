/** UTF-8 text and bytes, for tests that write and read strings through byte-level APIs. */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 bytes of `text`. */
export function encodeText(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The UTF-8 bytes of `text` followed by a NUL: a C string to store in a process's memory. */
export function encodeCString(text: string): Uint8Array {
  return encoder.encode(`${text}\0`);
}

/** `bytes` decoded as UTF-8. */
export function decodeText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Each NUL-terminated string of `list` (argv, envp as the loader keeps them)
 * decoded without its NUL; throws if one does not end in a NUL.
 */
export function decodeCStrings(list: readonly Uint8Array[]): string[] {
  return list.map((s) => {
    if (s.at(-1) !== 0) throw new Error(`not NUL-terminated: ${JSON.stringify(decoder.decode(s))}`);
    return decoder.decode(s.subarray(0, -1));
  });
}
