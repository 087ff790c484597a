// kiosk's video shortcode: the player is loaded from the video host only after the reader
// clicks "play". Until then the page makes no request to another host; without JavaScript the
// link opens the video on the host's own page.
(function () {
  "use strict";
  if (window.kioskVideo) return;
  window.kioskVideo = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("figure.video .video-play");
    if (!link) return;
    var figure = link.closest("figure.video");
    var box = figure.querySelector(".video-frame");
    var src = figure.getAttribute("data-embed") || "";
    if (!box || src.indexOf("https://") !== 0) return;
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = figure.getAttribute("data-title") || link.textContent;
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    box.replaceChildren(frame);
    frame.focus();
  });
})();
