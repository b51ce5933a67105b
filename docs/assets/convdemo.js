// Each figure has one image per colour scheme, loaded lazily so that a page fetches only
// the one on screen. Paper needs the light one whatever the screen shows, so images load
// eagerly on the print-the-site page, and on any page about to be printed.
(function () {
  function loadEveryImage() {
    document.querySelectorAll('img[loading="lazy"]').forEach(function (image) {
      image.loading = "eager";
    });
  }
  window.addEventListener("beforeprint", loadEveryImage);
  if (document.getElementById("print-site-page")) {
    loadEveryImage();
  }
})();

// Accessibility the theme and the notebook renderer leave out: the search dialog gets a
// name, and code that scrolls sideways can be reached, and so scrolled, from the keyboard.
document.addEventListener("DOMContentLoaded", function () {
  var search = document.querySelector(".md-search[role='dialog']");
  if (search && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", "Search");
  }
  document.querySelectorAll(".jp-Notebook pre, .highlight-ipynb").forEach(function (block) {
    if (block.scrollWidth > block.clientWidth && !block.hasAttribute("tabindex")) {
      block.setAttribute("tabindex", "0");
    }
  });
});
