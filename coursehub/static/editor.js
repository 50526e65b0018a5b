// The post editor: a live preview rendered by the server (the same pipeline as saving),
// an exact word count, and image uploads that insert their Markdown at the cursor.
(function () {
  "use strict";
  var editor = document.querySelector(".editor");
  if (!editor) return;
  var body = editor.querySelector("textarea[name=body]");
  var preview = editor.querySelector("[data-preview]");
  var count = editor.querySelector("[data-word-count]");
  var atLimit = editor.querySelector("[data-at-limit]");
  var token = editor.querySelector("input[name=csrf_token]").value;
  var timer = null;
  var latest = 0;

  function post(url, options) {
    options.headers = Object.assign({"X-CSRFToken": token}, options.headers || {});
    options.method = "POST";
    options.credentials = "same-origin";
    return fetch(url, options);
  }

  function refresh() {
    var ticket = ++latest;
    post(editor.dataset.previewUrl, {
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({body: body.value})
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data || ticket !== latest) return;  // a newer keystroke has its own request
      preview.innerHTML = data.html;  // sanitized by the server, as a saved post is
      count.textContent = data.word_count;
    }).catch(function () { /* offline: the preview waits for the next change */ });
  }

  // The text box keeps no more than its maxlength: a paste past it is cut without a word.
  function checkLimit() {
    atLimit.hidden = body.maxLength < 0 || body.value.length < body.maxLength;
  }

  body.addEventListener("input", function () {
    checkLimit();
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  checkLimit();

  var uploadForm = document.querySelector(".upload-form");
  if (!uploadForm) return;
  var status = uploadForm.querySelector("[data-upload-status]");
  uploadForm.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = "Uploading…";
    post(uploadForm.action, {headers: {"Accept": "application/json"}, body: new FormData(uploadForm)})
      .then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      })
      .then(function (result) {
        if (!result.ok) {
          status.textContent = result.data.error ? result.data.error.message : "The upload did not work.";
          return;
        }
        var at = body.selectionStart || body.value.length;
        var snippet = "\n" + result.data.markdown + "\n";
        body.value = body.value.slice(0, at) + snippet + body.value.slice(at);
        body.focus();
        body.selectionStart = body.selectionEnd = at + snippet.length;
        status.textContent = "Image added to your post. Describe it in the brackets for readers who cannot see it.";
        uploadForm.reset();
        refresh();
      })
      .catch(function () { status.textContent = "The upload did not work. Check your connection."; });
  });
})();
