// The live page: finds the cameras, plays the chosen one, draws its metadata over the video in
// step with the picture, lists its passes, and says plainly why nothing shows when that happens.

import { ClockSync, MetadataBuffer, drawFrame, prepareCanvas } from './overlay.js';
import { Player } from './player.js';
import { LiveSocket } from './live.js';
import { PassList } from './passes.js';
import { StreamBanner } from './stream-banner.js';

const $ = (id) => document.getElementById(id);
const video = $('video');
const canvas = $('overlay');

const buffer = new MetadataBuffer(30);
const sync = new ClockSync();
const passes = new PassList($('passes'), $('passes-empty'));
const player = new Player(video, (text) => {
  state.playerStatus = text;
  if (text) checkStreaming(); // a player error: find out from /ready why
  else stageStatus(null);
});
const live = new LiveSocket(onMessage, onSocketState);
const state = {
  cameras: new Map(),
  current: null,
  lastMetaAt: 0,
  lastVideoTime: -1,
  lastDrawn: 0,
  videoUtc: null,
  videoLag: null,
  target: null,
  notice: null,
  playerStatus: null,
  stageCause: null,
  banner: null,
  drawnTs: null,
};
window.stopsign = { state, buffer, sync, player }; // for the curious and for tests

const EXAMPLE = `cameras:
  - id: cam1
    source: rtsp://user:pass@camera.local:554/stream1   # or a video file
    stop_zone: [[500, 400], [800, 400], [800, 600], [500, 600]]   # camera pixels`;

async function start() {
  const listed = await fetchCameras();
  (listed ?? []).forEach(addCamera);
  const wanted = new URLSearchParams(location.search).get('camera');
  if (state.cameras.size) {
    select(state.cameras.has(wanted) ? wanted : state.cameras.keys().next().value);
  } else {
    live.follow([]); // no camera list: cameras announce themselves through their metadata
    setTimeout(() => {
      if (!state.current && state.notice !== 'token') showNoCamera();
    }, 3000);
  }
  $('camera').addEventListener('change', (e) => select(e.target.value));
  $('offset').addEventListener('input', (e) => {
    sync.manual = parseFloat(e.target.value);
    $('offset-auto').setAttribute('aria-pressed', 'false');
  });
  $('offset-auto').addEventListener('click', () => {
    sync.manual = null;
    $('offset-auto').setAttribute('aria-pressed', 'true');
  });
  // a "waiting for the video" notice goes as soon as the picture moves, not at the next check
  video.addEventListener('timeupdate', () => {
    if (state.stageCause === 'video' && !video.paused) stageStatus(null);
  });
  requestAnimationFrame(frame);
  setInterval(calibrate, 250);
  setInterval(readout, 500);
  setInterval(checkStreaming, 1000);
}

/** The configured cameras from the API, or null when this process has no camera list to give. */
async function fetchCameras() {
  try {
    const res = await fetch('/api/cameras', { cache: 'no-store' });
    if (res.status === 401) {
      notice('token', 'A token is required', 'Open this page once as /?access_token=<token>; the browser then keeps a session (never the token).');
      return null;
    }
    if (!res.ok) return null;
    const body = await res.json();
    return Array.isArray(body) ? body : body.items ?? null;
  } catch (e) {
    return null;
  }
}

function addCamera(info) {
  if (!info || typeof info.id !== 'string' || state.cameras.has(info.id)) return;
  state.cameras.set(info.id, {
    id: info.id,
    hls_url: info.hls_url ?? `/hls/${encodeURIComponent(info.id)}/index.m3u8`,
    whep_url: info.whep_url ?? null,
    stop_zone: Array.isArray(info.stop_zone) ? info.stop_zone : null,
  });
  const option = document.createElement('option');
  option.value = info.id;
  option.textContent = info.id;
  $('camera').append(option);
  document.querySelector('.camera-pick').hidden = state.cameras.size < 2;
}

function select(id) {
  const camera = state.cameras.get(id);
  if (!camera) return;
  state.current = id;
  $('camera').value = id;
  buffer.clear();
  sync.reset();
  passes.clear();
  hideNotice();
  live.follow([id]);
  player.play(camera);
  passes.load(id);
  if (state.cameras.size > 1) {
    const url = new URL(location.href);
    url.searchParams.set('camera', id);
    history.replaceState(null, '', url);
  }
}

function onMessage(msg) {
  if (msg.type === 'pass') {
    if (msg.camera === state.current) passes.add(msg);
    return;
  }
  if (msg.type) {
    if (msg.type === 'error') console.warn('server:', msg.detail);
    return;
  }
  if (typeof msg.camera !== 'string') return;
  if (!state.cameras.has(msg.camera)) addCamera({ id: msg.camera });
  if (!state.current) select(msg.camera);
  if (msg.camera !== state.current) return;
  buffer.add(msg);
  state.lastMetaAt = performance.now();
}

function onSocketState(s) {
  const pill = $('connection');
  pill.textContent = { open: 'live', connecting: 'connecting…', closed: 'disconnected, retrying', refused: 'refused' }[s] ?? s;
  pill.className = `pill ${s === 'open' ? 'ok' : s === 'connecting' ? '' : 'bad'}`;
}

function zone() {
  const camera = state.cameras.get(state.current);
  const newest = buffer.newest();
  const raw = newest?.raw_dimensions ?? (video.videoWidth ? { w: video.videoWidth, h: video.videoHeight } : null);
  const stop = newest?.zones?.stop?.length ? newest.zones.stop : camera?.stop_zone;
  return raw && stop ? { raw, stop } : null;
}

function frame() {
  requestAnimationFrame(frame);
  const ctx = prepareCanvas(canvas);
  if (!state.current) return;
  const vUtc = player.videoUtc();
  const newest = buffer.newest();
  // without a clock in the stream, the newest metadata is the best guess (the slider can delay it)
  const target = vUtc !== null ? vUtc + sync.offset() : newest ? newest.ts_utc + (sync.manual ?? 0) : null;
  const msg = target !== null ? buffer.at(target) : null;
  state.videoUtc = vUtc;
  state.target = target;
  state.drawnTs = msg?.drawn_ts ?? null; // what the boxes on screen stand for (tests read it)
  state.lastDrawn = drawFrame(ctx, video, msg, zone(), null);
}

function calibrate() {
  const vUtc = player.videoUtc();
  const newest = buffer.newest();
  if (vUtc === null || !newest || video.paused || performance.now() - state.lastMetaAt > 2000) return;
  sync.sample(newest.ts_utc, vUtc, player.latency(), buffer.spanS);
  player.alignToMetadata(newest.ts_utc);
}

function readout() {
  $('meta-fps').textContent = `metadata ${buffer.fps().toFixed(1)} fps`;
  // wall clock now minus the capture time of the picture on screen (needs a clock in the stream)
  const vUtc = player.videoUtc();
  const lag = vUtc === null || !state.current ? null : Date.now() / 1000 - vUtc;
  state.videoLag = lag;
  $('lag').textContent = lag === null ? 'video lag –' : `video lag ${lag.toFixed(2)} s`;
  const behind = sync.lag();
  $('lag').title =
    'How far the picture on screen is behind real time (now minus its capture time)' +
    (behind === null ? '' : `; it trails the newest detections by ${behind.toFixed(2)} s`);
  const offset = sync.offset();
  $('offset-value').textContent = `${offset >= 0 ? '+' : ''}${offset.toFixed(2)} s${sync.manual === null ? ' (auto)' : ''}`;
  if (sync.manual === null) $('offset').value = String(offset);
  $('playback').textContent = player.mode === 'none' ? '' : `via ${player.mode}`;
}

/** When video or metadata stay stopped past a grace period, ask /ready why and say it on the video. */
async function checkStreaming() {
  if (!state.current) return;
  if (state.banner?.camera !== state.current) state.banner = new StreamBanner(state.current);
  const observed = {
    now: performance.now(),
    playing: !video.paused && video.currentTime !== state.lastVideoTime,
    metadata: performance.now() - state.lastMetaAt < 3000,
    playerStatus: state.playerStatus,
  };
  state.lastVideoTime = video.currentTime;
  observed.check = state.banner.needsCheck(observed) ? await cameraCheck(state.current) : null;
  const banner = state.banner.update(observed);
  stageStatus(banner?.text ?? null, banner?.cause ?? null);
}

async function cameraCheck(id) {
  try {
    const res = await fetch('/ready', { cache: 'no-store' });
    const body = await res.json();
    return findCheck(body.checks ?? [], `camera.${id}`);
  } catch (e) {
    return null;
  }
}

function findCheck(checks, id) {
  for (const check of checks) {
    if (check.id === id) return check;
    const nested = findCheck(check.checks ?? [], id);
    if (nested) return nested;
  }
  return null;
}

function stageStatus(text, cause = null) {
  const el = $('stage-status');
  el.hidden = !text;
  el.textContent = text ?? '';
  state.stageCause = text ? cause : null;
}

function showNoCamera() {
  notice(
    'none',
    'No camera is configured',
    'Start StopSign with a source, e.g. java -jar target/stopsign.jar run --source rtsp://camera.local:554/stream1, ' +
      'or add the camera to conf/stopsign.yaml and restart:',
    EXAMPLE,
  );
  $('stage').hidden = true;
}

function notice(kind, title, text, example) {
  state.notice = kind;
  $('notice').hidden = false;
  $('notice-title').textContent = title;
  $('notice-text').textContent = text;
  $('notice-example').hidden = !example;
  $('notice-example').textContent = example ?? '';
}

function hideNotice() {
  state.notice = null;
  $('notice').hidden = true;
  $('stage').hidden = false;
}

start();
