// Camera scanning for a station with no hardware scanner: QR personal codes and Code 128 tube
// labels, read with the browser's own BarcodeDetector where it has one for both formats, else
// with the polyfill in web/vendor/ (ZXing in WebAssembly, put there by scripts/vendor-web from
// a pinned lockfile; nothing is fetched from elsewhere at run time).
//
//   cameraButton({ input, testid })  // a button opening the camera; a code read is typed into
//                                    // `input` and Enter pressed, as a hardware scanner does
//   await detectIn(imageOrCanvas)    // the codes in one picture: [{format, rawValue}]

import { h } from './dom.js';
import { t } from './i18n.js';

const FORMATS = ['qr_code', 'code_128'];
const FRAME_MS = 250; // how often a frame is read
const SAME_CODE_MS = 2500; // the same code held in view counts once

let detectorPromise = null;

/** The detector for FORMATS: the browser's own, or the polyfill. Rejects when neither loads. */
export function barcodeDetector() {
  if (!detectorPromise) {
    detectorPromise = (async () => {
      if ('BarcodeDetector' in window) {
        try {
          const supported = await window.BarcodeDetector.getSupportedFormats();
          if (FORMATS.every((f) => supported.includes(f))) return new window.BarcodeDetector({ formats: FORMATS });
        } catch {
          // Present but unusable: fall back to the polyfill.
        }
      }
      const mod = await import('./vendor/barcode-detector/ponyfill.js');
      const wasm = new URL('./vendor/zxing-wasm/zxing_reader.wasm', import.meta.url).href;
      mod.setZXingModuleOverrides({ locateFile: (file, prefix) => (file.endsWith('.wasm') ? wasm : prefix + file) });
      return new mod.BarcodeDetector({ formats: FORMATS });
    })();
    detectorPromise.catch(() => {
      detectorPromise = null; // try again next time (the vendor files may come with a deploy)
    });
  }
  return detectorPromise;
}

/** The codes in one image (an <img>, <canvas>, <video>, ImageBitmap or ImageData). */
export async function detectIn(source) {
  const detector = await barcodeDetector();
  const found = await detector.detect(source);
  return found.map((c) => ({ format: c.format, rawValue: c.rawValue }));
}

/** Types `value` into the scan field and presses Enter, as a keyboard-wedge scanner would. */
function typeIn(input, value) {
  input.value = value;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
}

/** A button that opens the camera over the page; null where the browser has no camera API. */
export function cameraButton({ input, testid = 'camera' }) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return null;
  return h('button', { type: 'button', class: 'btn btn-ghost camera-btn', dataset: { testid }, onclick: () => openCamera(input) }, t('camera.open'));
}

let open = null; // the camera now shown: {stop()}

async function openCamera(input) {
  if (open) open.stop();
  const note = h('p', { class: 'camera-note', role: 'status' }, t('camera.hint'));
  const video = h('video', { class: 'camera-video', muted: true, playsinline: true });
  const close = h('button', { type: 'button', class: 'btn btn-primary btn-block', dataset: { testid: 'camera-close' } }, t('camera.close'));
  const layer = h('div', { class: 'camera-layer', dataset: { testid: 'camera-layer' } }, h('div', { class: 'camera-frame' }, video), note, close);
  let stream = null;
  let timer = null;
  const state = {
    stop() {
      clearTimeout(timer);
      if (stream) stream.getTracks().forEach((tr) => tr.stop());
      layer.remove();
      if (open === state) open = null;
      if (input.isConnected) input.focus();
    },
  };
  open = state;
  close.addEventListener('click', () => state.stop());
  document.body.appendChild(layer);

  let detector;
  try {
    [detector, stream] = await Promise.all([barcodeDetector(), navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })]);
  } catch (err) {
    note.textContent = err && err.name === 'NotAllowedError' ? t('camera.denied') : t('camera.none');
    return;
  }
  if (open !== state) return state.stop();
  video.srcObject = stream;
  await video.play().catch(() => {});

  let last = { value: null, at: 0 };
  const frame = async () => {
    if (open !== state) return;
    if (!input.isConnected) return state.stop(); // the page moved on
    try {
      const [code] = video.readyState >= 2 ? await detector.detect(video) : [];
      const now = Date.now();
      if (code && code.rawValue && (code.rawValue !== last.value || now - last.at > SAME_CODE_MS)) {
        last = { value: code.rawValue, at: now };
        typeIn(input, code.rawValue);
      }
    } catch {
      // A frame that could not be read: the next one may.
    }
    timer = setTimeout(frame, FRAME_MS);
  };
  frame();
}
