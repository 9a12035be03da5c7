// A comment's Markdown as people read it on GitHub: the renderer's escapes removed, and the
// zero-width space it puts after `@` in data (so data never pings anyone) taken out again.
export function asRead(markdown: string): string {
  return markdown.replace(/\\([\\`*_[\]<>#|~()-])/g, '$1').replace(/@\u200b/g, '@');
}
