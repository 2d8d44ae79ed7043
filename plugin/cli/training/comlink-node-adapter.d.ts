// comlink ships this ES module without a declaration next to it; its UMD twin's says the same.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  export default function nodeEndpoint(endpoint: import('node:worker_threads').MessagePort | import('node:worker_threads').Worker): Endpoint;
}
