// Build-time stand-in for marked-terminal's `import * as emoji from 'node-emoji'` (with emojilib,
// ~300 KB parsed at every start). inkwell turns marked-terminal's emoji option off, so `:shortcode:`
// stays as written; `get` answers as node-emoji does for an unknown code.
export function get() {
  return undefined;
}
export function emojify(text) {
  return text;
}
