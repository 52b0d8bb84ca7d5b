// Camera scan of a QR code or barcode into the document number field, where the browser
// offers BarcodeDetector (Chrome on Android). Elsewhere the button stays hidden and the
// number is typed. Written for this page; no third-party code.
(function () {
  "use strict";
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  var field = document.getElementById("f-dn");
  if (!button || !video || !field) { return; }
  button.hidden = false;
  var stream = null;
  var detector = new window.BarcodeDetector({
    formats: ["qr_code", "code_128", "code_39", "pdf417", "data_matrix"]
  });
  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
  }
  function pick(text) {
    // A resident ID inside a longer payload: take the first 18-character ID-shaped run.
    var match = /[1-9]\d{16}[\dXx]/.exec(text);
    return match ? match[0].toUpperCase() : text.trim();
  }
  function scan() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        field.value = pick(codes[0].rawValue);
        stop();
        field.focus();
      } else {
        window.requestAnimationFrame(scan);
      }
    }).catch(function () { window.requestAnimationFrame(scan); });
  }
  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        return video.play();
      })
      .then(scan)
      .catch(stop);
  });
})();
