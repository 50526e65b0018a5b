// Reply links open the reply form in place, under the comment, as on a course blog.
// Without JavaScript the same links load the page with that form already open.
(function () {
  "use strict";
  var main = document.getElementById("respond");
  if (!main) return;
  var home = main.parentNode;
  var marker = main.nextSibling;
  var parentField = main.querySelector("input[name=parent_id]");
  var title = main.querySelector(".reply-title");
  var originalTitle = title.textContent;
  var opener = null;  // the Reply link that opened the form, to take the focus back
  var cancel = document.createElement("a");
  cancel.href = "#respond";
  cancel.className = "cancel-reply";
  cancel.textContent = "Cancel reply";

  document.querySelectorAll("a.reply-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var comment = document.getElementById("comment-" + link.dataset.commentId);
      comment.querySelector("article").after(main);
      parentField.value = link.dataset.commentId;
      opener = link;
      title.textContent = "Reply ";
      title.appendChild(cancel);
      main.querySelector("textarea").focus();
    });
  });
  cancel.addEventListener("click", function (event) {
    event.preventDefault();
    home.insertBefore(main, marker);
    parentField.value = "";
    title.textContent = originalTitle;
    if (opener) opener.focus();
    opener = null;
  });
})();
