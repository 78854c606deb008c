// The part of the WebAssembly JS API that espeakWasm.ts uses. Node has it at run time, but @types/node 20
// does not declare it (TypeScript's lib.dom does, and the Node targets are checked without the DOM:
// tsconfig.node.json). Drop this file when @types/node declares WebAssembly.
declare namespace WebAssembly {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an opaque handle: nothing is read from it
  interface Module {}
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  type Imports = Record<string, Record<string, unknown>>;
  function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
