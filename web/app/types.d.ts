declare module '#app' {
  interface PageMeta {
    /** The page uses the wide column (editor and preview side by side). */
    wide?: boolean;
  }
}
export {};
