import type { Plugin } from 'vite';

/**
 * The dev server (`npm run dev`, `vite`) needs what the shipped CSP forbids: React Refresh's
 * inline preamble and the HMR websocket. This loosens the policy in index.html for `serve` only;
 * builds keep the strict one.
 */
export function devCsp(): Plugin {
  return {
    name: 'formant-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/(http-equiv="Content-Security-Policy"\s+content=")([^"]*)"/, (_m, head: string, policy: string) => {
        const loosened = policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:*");
        return `${head}${loosened}"`;
      });
    },
  };
}
