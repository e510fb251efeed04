// Web platform globals present in every runtime swx targets (Node >= 20, workerd).
// Declared here so the core compiles without DOM or Node types and cannot reach anything else.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare function btoa(data: string): string;
declare function atob(data: string): string;
