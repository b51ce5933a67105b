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

// Zoom. Each figure's image is a link (class "glightbox") to its own file. GLightbox, 70 KB
// of script and styles, is loaded at the first click on one (or Enter on it), from the
// addresses and with the options the page carries (website/lightbox.py), and then opens
// the figure; a reader who never zooms never loads it.
(function () {
  var loading = null;
  var ready = false;
  function add(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) {
        node.setAttribute(name, attributes[name]);
      });
      node.onload = resolve;
      node.onerror = reject;
      document.head.appendChild(node);
    });
  }
  function load(settings) {
    if (!loading) {
      var config = JSON.parse(settings.textContent);
      loading = Promise.all([
        add("link", { rel: "stylesheet", href: config.style }),
        add("script", { src: config.script }),
      ]).then(function () {
        GLightbox(config.options);
        ready = true;
      });
    }
    return loading;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.glightbox") : null;
    // Read when clicked: the settings come after this script in the page.
    var settings = document.getElementById("convdemo-lightbox");
    if (!link || !settings || ready) {
      return; // once loaded, GLightbox opens what is clicked
    }
    event.preventDefault();
    event.stopPropagation();
    load(settings).then(function () {
      link.click();
    });
  }, true);
})();

// The lightbox leaves the keyboard focus on the page behind it, and its dialog has no name.
// On opening, the dialog is named after the figure ("Figure 2.1, full screen"), focus
// moves to its Close button and Tab stays there (a figure is a gallery of one: Close is
// the only control); Escape or Close closes it, and focus goes back to the figure's link,
// so a keyboard reader carries on from there.
(function () {
  var root = document.documentElement;
  var opener = null;
  function isOpen() {
    return root.classList.contains("glightbox-open");
  }
  function closeButton() {
    return document.querySelector(".glightbox-container .gclose");
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.glightbox") : null;
    if (link && !isOpen()) {
      opener = link;
    }
  }, true);
  new MutationObserver(function () {
    if (isOpen()) {
      var dialog = document.getElementById("glightbox-body");
      if (dialog && !dialog.hasAttribute("aria-label")) {
        var label = (opener && opener.getAttribute("data-description")) || "Figure";
        dialog.setAttribute("aria-label", label + ", full screen");
        dialog.setAttribute("aria-modal", "true");
      }
      var close = closeButton();
      if (close && !close.parentNode.contains(document.activeElement)) {
        close.focus();
      }
    } else if (opener) {
      opener.focus();
      opener = null;
    }
  }).observe(root, { attributes: true, attributeFilter: ["class"] });
  document.addEventListener("keydown", function (event) {
    var close = closeButton();
    if (event.key === "Tab" && isOpen() && close) {
      event.preventDefault();
      event.stopPropagation();
      close.focus();
    }
  }, true);
})();
