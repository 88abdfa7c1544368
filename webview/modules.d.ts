// Text imports resolved by esbuild (`with { type: 'text' }`).
declare module 'elkjs/lib/elk-worker.min.js' {
  const source: string;
  export default source;
}
declare module 'elkjs/lib/elk-api.js' {
  import ELK from 'elkjs/lib/elk-api';
  export default ELK;
}
