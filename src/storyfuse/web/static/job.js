// Follows an addition of articles: polls its JSON twin and updates the page. Text from the
// server is set with textContent only, never parsed as markup.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var id = box.getAttribute("data-job");
  var progress = document.getElementById("job-progress");
  var outcome = document.getElementById("job-outcome");

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function describe(job) {
    if (job.state === "queued") { return "Waiting for the addition before it to finish…"; }
    if (job.state === "running") {
      var s = (job.stage || "starting");
      if (job.total) { s += ": " + job.done + " of " + job.total; } else if (job.done) { s += ": " + job.done; }
      return s + "…" + (job.message ? " " + job.message : "");
    }
    if (job.state === "failed") { return "Failed: " + job.error; }
    return "Finished: " + job.read + " read, " + job.added + " added, " + job.already_stored +
      " already stored, " + job.rejected.length + " rejected.";
  }

  function show(job) {
    progress.textContent = describe(job);
    box.setAttribute("data-state", job.state);
    if (job.state !== "finished" && job.state !== "failed") { return false; }
    outcome.textContent = "";
    if (job.rejected.length) {
      outcome.appendChild(el("h2", "Rejected"));
      var list = el("ul");
      list.className = "rejected";
      job.rejected.forEach(function (r) { list.appendChild(el("li", r.input + ": " + r.reason)); });
      outcome.appendChild(list);
    }
    if (job.state === "finished") {
      outcome.appendChild(el("h2", "Events"));
      if (!job.events.length) { outcome.appendChild(el("p", "No event changed.")); }
      var events = el("ul");
      events.className = "job-events";
      job.events.forEach(function (e) {
        var item = el("li");
        var link = el("a", e.id);
        link.href = "/events/" + encodeURIComponent(e.id);
        item.appendChild(link);
        item.appendChild(document.createTextNode(" (" + (e.new ? "new" : "changed") + ")"));
        events.appendChild(item);
      });
      if (job.events.length) { outcome.appendChild(events); }
    }
    return true;
  }

  function poll() {
    fetch("/api/jobs/" + encodeURIComponent(id), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) { if (!show(job)) { setTimeout(poll, 1000); } })
      .catch(function () { setTimeout(poll, 3000); });
  }

  var state = box.getAttribute("data-state");
  if (state === "queued" || state === "running") { setTimeout(poll, 500); }
})();
