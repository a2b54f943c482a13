/* Uploads with a progress line per file: sending (percent), waiting (place in the queue), being
   checked, then the findings and a link to the report. Without this script the form still posts
   the files and the history page shows their progress. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var words = JSON.parse(form.dataset.words);
  var errors = JSON.parse(form.dataset.errors);
  var maxBytes = parseInt(form.dataset.maxBytes, 10);
  var extensions = form.dataset.extensions.split(",");
  var csrf = form.querySelector("input[name=csrf]").value;
  var input = document.getElementById("files");
  var zone = document.getElementById("drop-zone");
  var list = document.getElementById("upload-list");

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? values[key] : whole; });
  }

  function megabytes(bytes) { return (bytes / 1048576).toFixed(bytes < 1048576 ? 2 : 0); }

  function row(file) {
    var item = document.createElement("li");
    item.className = "upload";
    var name = document.createElement("span");
    name.className = "file";
    name.textContent = file.name;
    var size = document.createElement("span");
    size.className = "size";
    size.textContent = megabytes(file.size) + " MB";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var state = document.createElement("span");
    state.className = "state";
    item.append(name, size, bar, state);
    list.prepend(item);
    return { item: item, bar: bar, state: state };
  }

  function show(r, stateName, text) {
    r.item.dataset.state = stateName;
    r.state.textContent = text;
  }

  function fail(r, code, message, detail) {
    show(r, "failed", message || errors[code] || code);
    r.state.setAttribute("role", "alert");
    r.item.dataset.code = code;
    r.bar.hidden = true;
    if (detail) {
      var small = document.createElement("small");
      small.className = "detail";
      small.textContent = detail;
      r.item.append(small);
    }
  }

  function done(r, s) {
    r.bar.hidden = true;
    if (s.error) {
      fail(r, s.error.code, s.error.message, s.error.detail);
    } else {
      show(r, "done", words["state-done"] + ": " + (s.summary || ""));
    }
    if (s.report_url) {
      var link = document.createElement("a");
      link.href = s.report_url;
      link.className = "open-report";
      link.textContent = words["open-report"];
      r.item.append(link);
    }
  }

  function poll(r, url) {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (s) {
        if (s.state === "queued") {
          show(r, "queued", fill(words["state-queued"], { place: s.place }));
        } else if (s.state === "checking") {
          show(r, "checking", words["state-checking"]);
          r.bar.removeAttribute("value");
        } else {
          done(r, s);
          return;
        }
        window.setTimeout(function () { poll(r, url); }, 600);
      })
      .catch(function () { window.setTimeout(function () { poll(r, url); }, 2000); });
  }

  function send(file) {
    var r = row(file);
    var dot = file.name.lastIndexOf(".");
    var ext = dot < 0 ? "" : file.name.slice(dot).toLowerCase();
    if (extensions.indexOf(ext) < 0) { fail(r, "unsupported-format"); return; }
    if (file.size === 0) { fail(r, "empty-file"); return; }
    if (file.size > maxBytes) {
      fail(r, "too-large", errors["too-large"] + " (" + megabytes(file.size) + " MB > " + form.dataset.maxMb + " MB)");
      return;
    }
    var data = new FormData();
    data.append("csrf", csrf);
    data.append("files", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        var pct = Math.round(100 * e.loaded / e.total);
        r.bar.value = pct;
        show(r, "uploading", fill(words["state-uploading"], { pct: pct }));
      }
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (!body) { fail(r, "internal"); return; }
      if (body.error) { fail(r, body.error.code, body.error.message); return; }
      var answer = body.files[0];
      if (answer.error) { fail(r, answer.error.code, answer.error.message); return; }
      r.bar.value = 100;
      show(r, "queued", fill(words["state-queued"], { place: answer.place }));
      poll(r, answer.status_url);
    });
    xhr.addEventListener("error", function () { fail(r, "bad-request", words["bad-request"]); });
    show(r, "uploading", fill(words["state-uploading"], { pct: 0 }));
    xhr.send(data);
  }

  function sendAll(files) {
    Array.prototype.forEach.call(files, send);
  }

  input.addEventListener("change", function () {
    sendAll(input.files);
    input.value = "";
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    sendAll(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files) { sendAll(event.dataTransfer.files); }
  });
})();
