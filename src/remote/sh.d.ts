// The remote scripts are plain .sh files imported as text: esbuild's text loader in the bundle,
// a small plugin in vitest.config.ts in tests.
declare module '*.sh' {
  const text: string;
  export default text;
}
