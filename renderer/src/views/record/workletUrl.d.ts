// Vite: `?url&no-inline` gives a file's URL in the bundle, never a data: URL (the page's CSP allows worklet scripts from 'self' only).
declare module '*?url&no-inline' {
  const url: string;
  export default url;
}
