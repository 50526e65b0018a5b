// Clicking a segment seeks the player in place instead of reloading the page.
// Without JavaScript the links still work: the server starts the player at ?t=.
(function () {
  "use strict";
  var player = document.getElementById("player");
  if (!player) return;

  function markCurrent(link) {
    document.querySelectorAll("a.seek[aria-current]").forEach(function (other) {
      other.removeAttribute("aria-current");
    });
    link.setAttribute("aria-current", "true");
  }

  document.querySelectorAll("a.seek").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var seconds = Number(link.dataset.seconds);
      if (player.tagName === "VIDEO") {
        player.currentTime = seconds;
        player.play().catch(function () { /* autoplay may be refused; the position is set */ });
      } else {
        // Embedded players take the start time in their URL.
        player.src = link.dataset.embed;
      }
      player.dataset.seconds = String(seconds);
      markCurrent(link);
      history.replaceState(null, "", link.href);
    });
  });
})();
