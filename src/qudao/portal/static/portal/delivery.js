/* Proof of delivery: preview the photo, read the position from the browser (the form submits
   without it when the position is denied or unavailable). */
(function () {
  "use strict";
  var input = document.getElementById("photo");
  var preview = document.getElementById("photo-preview");
  if (input && preview) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { preview.hidden = true; return; }
      preview.src = URL.createObjectURL(file);
      preview.hidden = false;
    });
  }
  var status = document.getElementById("geo-status");
  if (!status) { return; }
  var form = status.closest("form");
  function say(text, kind) { status.textContent = text; status.className = "geo " + kind; }
  if (!("geolocation" in navigator)) { say(status.dataset.unsupported, "bad"); return; }
  say(status.dataset.locating, "");
  navigator.geolocation.getCurrentPosition(function (pos) {
    form.elements.latitude.value = pos.coords.latitude.toFixed(6);
    form.elements.longitude.value = pos.coords.longitude.toFixed(6);
    form.elements.accuracy_m.value = Math.min(pos.coords.accuracy, 100000).toFixed(1);
    say(status.dataset.found.replace("{accuracy}", Math.round(pos.coords.accuracy)), "ok");
  }, function (err) {
    say(err.code === 1 ? status.dataset.denied : status.dataset.unavailable, "bad");
  }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
})();
