// htmx settings the pages rely on; no inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.htmx) return;
  // a 422 carries per-field messages to show; other errors keep the page as it is
  htmx.config.responseHandling = [
    {code: "204", swap: false}, {code: "[23]..", swap: true}, {code: "422", swap: true, error: false},
    {code: "[45]..", swap: false, error: true}];
  htmx.config.includeIndicatorStyles = false;
  var networkError = document.body.dataset.networkError;
  function say(evt, text) {
    var target = evt.detail.target;
    if (target) { target.textContent = text; target.classList.add("error"); }
  }
  document.body.addEventListener("htmx:sendError", function (evt) { say(evt, networkError); });
  document.body.addEventListener("htmx:responseError", function (evt) {
    if (evt.detail.xhr.status !== 422) say(evt, networkError + " (" + evt.detail.xhr.status + ")");
  });
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target) evt.detail.target.classList.remove("error");
    var form = evt.detail.elt && evt.detail.elt.closest && evt.detail.elt.closest("article.criterion");
    if (form) {
      var sel = form.querySelector("select[name=score]");
      form.classList.toggle("answered", !!(sel && sel.value));
      // the descriptor of the chosen score stays highlighted as the user changes it
      var level = sel && sel.value && sel.value !== "na" ? Math.floor(parseFloat(sel.value)) : 0;
      form.querySelectorAll(".descriptors li").forEach(function (li, i) { li.classList.toggle("chosen", i + 1 === level); });
    }
  });
});
