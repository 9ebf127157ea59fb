(function () {
  "use strict";
  // Records anything that goes wrong while the page loads in a visible box,
  // so a reader (and the browser tests) can see it: script errors, failed
  // loads, blocked content, console.error.
  var box = document.getElementById("page-errors");
  function record(text) {
    if (!box) { return; }
    box.hidden = false;
    box.querySelector("pre").textContent += text + "\n";
  }
  window.addEventListener("error", function (e) {
    var t = e.target;
    if (t && t !== window && t.tagName) {
      record("failed to load " + t.tagName.toLowerCase());
    } else {
      record("error: " + (e.message || "unknown") + " (line " + (e.lineno || "?") + ")");
    }
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    record("unhandled rejection: " + String(e.reason));
  });
  document.addEventListener("securitypolicyviolation", function (e) {
    record("blocked by the page's security policy: " + e.violatedDirective + " " + (e.blockedURI || ""));
  });
  var consoleError = console.error;
  console.error = function () {
    record("console.error: " + Array.prototype.join.call(arguments, " "));
    return consoleError.apply(console, arguments);
  };
}());
