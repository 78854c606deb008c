// @echogarden/pffft-wasm ships no types: its SIMD build's emscripten factory (see frameFft.ts for the parts used).
declare module '@echogarden/pffft-wasm/simd' {
  const factory: (options?: object) => Promise<unknown>;
  export default factory;
}
