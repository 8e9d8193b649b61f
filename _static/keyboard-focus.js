/* The keyboard keeps its place on the theme's header buttons.
 *
 * sphinx-book-theme.js blurs the colour mode, search and sidebar buttons on
 * every click, to hide the focus ring a mouse click would leave. A key that
 * presses a button makes a click too, so the keyboard lost its place: the
 * colour mode menu opened, but its arrow keys did nothing, the focus being no
 * longer in it; a closed sidebar or search left the focus nowhere. A click
 * from the keyboard (detail 0) gets the focus back, before the button's own
 * action runs; after a mouse click browsers draw no ring (:focus-visible).
 * The theme's listener is a capturing one on each button, so this one is too,
 * added after it (this script comes after the theme's).
 */
"use strict";

for (const button of document.querySelectorAll(
  ".theme-switch-button, .search-button, .primary-toggle, .secondary-toggle",
)) {
  button.addEventListener(
    "click",
    (event) => {
      if (event.detail === 0) button.focus();
    },
    true,
  );
}
