// The pass's replay clip (GET /api/passes/{id}/clip, MP4) with the pass's stored boxes drawn over it,
// not burned in: clip.segments anchors video time to capture time per joined segment (the capture
// clock may jump between them), and the trajectory sample nearest to the shown frame's capture time
// is drawn, scaled from camera pixels to the picture.

import { prepareCanvas } from './overlay.js';

const $ = (id) => document.getElementById(id);
// a sample further than this from the shown frame's capture time is not drawn (track not seen then)
const MAX_GAP_S = 0.25;

export function playClip(pass, scoring) {
  const clip = pass.clip;
  const note = $('clip-note');
  if (!clip) {
    note.textContent = 'No replay clip for this pass: it was not recorded or has expired.';
    return;
  }
  const samples = pass.trajectory ?? [];
  const inZone = (scoring?.speeds ?? []).map((s) => s[2] === true);
  const video = $('clip');
  const scene = $('replay');
  scene.hidden = false;
  scene.style.aspectRatio = `${clip.width} / ${clip.height}`;
  note.textContent = `${clip.duration.toFixed(1)} s recorded around the pass; the boxes are the stored track, drawn at the capture time of each frame.`;
  video.addEventListener('error', () => {
    note.textContent = 'The replay clip cannot be played in this browser.';
  });
  const draw = () => drawBoxes(video, clip, samples, inZone, scoring);
  video.addEventListener('seeked', draw);
  video.addEventListener('loadeddata', draw);
  window.addEventListener('resize', draw);
  const tick = () => {
    if (!video.paused && !video.ended) draw();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  video.src = clip.url;
  video.play().catch(() => {}); // muted: autoplay allowed; otherwise the controls start it
}

// Capture time (epoch s) of video time t: the last segment starting at or before t, plus the rest.
function captureTime(clip, t) {
  const anchors = clip.segments?.length ? clip.segments : [[0, clip.start_utc]];
  let a = anchors[0];
  for (const s of anchors) if (s[0] <= t) a = s;
  return a[1] + (t - a[0]);
}

// The index of the sample whose time is nearest to t (samples are in time order).
function nearest(samples, t) {
  let lo = 0;
  let hi = samples.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid][0] < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(samples[lo - 1][0] - t) <= Math.abs(samples[lo][0] - t)) lo -= 1;
  return lo;
}

function drawBoxes(video, clip, samples, inZone, scoring) {
  const canvas = $('clip-overlay');
  const ctx = prepareCanvas(canvas); // draws in CSS pixels
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  // boxes are in the camera's own pixels; the clip may be scaled down from them
  const sw = clip.source_width || clip.width;
  const sh = clip.source_height || clip.height;
  const kx = w / sw;
  const ky = h / sh;
  const zone = scoring?.stop_zone ?? [];
  if (zone.length > 2) {
    ctx.beginPath();
    zone.forEach(([x, y], i) => (i ? ctx.lineTo(x * kx, y * ky) : ctx.moveTo(x * kx, y * ky)));
    ctx.closePath();
    ctx.strokeStyle = 'rgba(239, 68, 68, 0.8)';
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  const utc = captureTime(clip, video.currentTime);
  canvas.dataset.utc = utc.toFixed(3);
  if (!samples.length) return;
  const i = nearest(samples, utc);
  const s = samples[i];
  const gap = Math.abs(s[0] - utc);
  if (gap > MAX_GAP_S) {
    delete canvas.dataset.box;
    return;
  }
  const [x1, y1, x2, y2] = [s[1] * kx, s[2] * ky, s[3] * kx, s[4] * ky];
  ctx.strokeStyle = inZone[i] ? '#f59e0b' : '#22c55e';
  ctx.lineWidth = 3;
  ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
  ctx.fillStyle = ctx.strokeStyle;
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText(inZone[i] ? 'in zone' : 'track', x1 + 2, Math.max(12, y1 - 4));
  // for tests and curious users: what was drawn, in CSS pixels, and how far its sample was
  canvas.dataset.box = [x1, y1, x2, y2].map((v) => v.toFixed(1)).join(',');
  canvas.dataset.gap = gap.toFixed(3);
}
