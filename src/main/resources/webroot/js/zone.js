// The zone editor: the camera's newest picture (GET /api/cameras/{id}/frame) with the stop zone, the
// pre-stop line, the capture line and the calibration points drawn over it; every point is dragged
// with the mouse or a finger, checked as the server checks (zone-rules.js), and saved with
// PUT /api/cameras/{id}/geometry.

import { MIN_LINE_PX, problems } from './zone-rules.js';

const $ = (id) => document.getElementById(id);
const COLORS = { zone: '#ef4444', pre: '#22d3ee', capture: '#facc15', calibration: '#a78bfa' };
const NAMES = { zone: 'stop zone', pre: 'pre-stop line', capture: 'capture line', calibration: 'calibration' };
const ed = { cameras: [], camera: null, g: null, w: 0, h: 0, selected: null, drag: null, url: null };

async function start() {
  const res = await fetch('/api/cameras', { cache: 'no-store' }).catch(() => null);
  const list = res?.ok ? await res.json() : [];
  ed.cameras = list;
  if (!list.length) return say(res ? 'No camera is configured.' : 'The server cannot be reached.', 'error');
  const wanted = new URLSearchParams(location.search).get('camera');
  $('camera').replaceChildren(...list.map((c) => new Option(c.id, c.id, false, c.id === wanted)));
  $('camera').addEventListener('change', () => load($('camera').value));
  $('reload-frame').addEventListener('click', loadFrame);
  $('save').addEventListener('click', save);
  $('revert').addEventListener('click', () => load(ed.camera.id));
  $('add-point').addEventListener('click', addZonePoint);
  $('remove-point').addEventListener('click', removeZonePoint);
  $('toggle-pre').addEventListener('click', () => toggleLine('pre_stop_line', 0.12));
  $('toggle-capture').addEventListener('click', () => toggleLine('capture_line', 0.05));
  $('toggle-calibration').addEventListener('click', toggleCalibration);
  const canvas = $('editor');
  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  window.addEventListener('resize', draw);
  window.zoneEditor = { geometry: () => structuredClone(ed.g), frame: () => [ed.w, ed.h], problems: () => check() };
  await load((list.find((c) => c.id === wanted) ?? list[0]).id);
}

function say(text, state) {
  $('message').textContent = text;
  if (state) document.body.dataset.ready = state;
}

/** The camera's geometry as the server has it now, and a fresh picture. */
async function load(id) {
  const res = await fetch('/api/cameras', { cache: 'no-store' }).catch(() => null);
  const list = res?.ok ? await res.json() : ed.cameras;
  ed.camera = list.find((c) => c.id === id);
  const c = ed.camera;
  ed.g = {
    stop_zone: structuredClone(c.stop_zone ?? []),
    pre_stop_line: structuredClone(c.pre_stop_line ?? []),
    capture_line: structuredClone(c.capture_line ?? []),
    calibration: c.calibration ? structuredClone(c.calibration) : null,
  };
  ed.selected = null;
  $('source').textContent = c.geometry_source === 'editor' ? `saved geometry, version ${c.geometry_version}` : 'geometry from the config file';
  $('status').textContent = '';
  await loadFrame();
}

async function loadFrame() {
  const id = ed.camera.id;
  const res = await fetch(`/api/cameras/${encodeURIComponent(id)}/frame`, { cache: 'no-store' }).catch(() => null);
  if (!res?.ok) {
    const body = res ? await res.json().catch(() => ({})) : {};
    say(`No picture: ${body.detail ?? `camera ${id}: the server cannot be reached.`} Editing needs one.`, 'error');
    return;
  }
  if (ed.url) URL.revokeObjectURL(ed.url);
  ed.url = URL.createObjectURL(await res.blob());
  const img = $('frame');
  await new Promise((resolve) => { img.onload = resolve; img.onerror = resolve; img.src = ed.url; });
  ed.w = img.naturalWidth;
  ed.h = img.naturalHeight;
  img.hidden = false;
  if (!ed.g.stop_zone.length) ed.g.stop_zone = defaultZone();
  say('');
  update();
  document.body.dataset.ready = 'true';
}

function defaultZone() {
  const { w, h } = ed;
  return [[w * 0.35, h * 0.45], [w * 0.65, h * 0.45], [w * 0.65, h * 0.7], [w * 0.35, h * 0.7]].map(rounded);
}

const rounded = ([x, y]) => [Math.round(x), Math.round(y)];
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

function bounds(points) {
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
}

function addZonePoint() {
  const z = ed.g.stop_zone;
  let best = 0, len = -1;
  z.forEach((p, i) => {
    const q = z[(i + 1) % z.length];
    const l = Math.hypot(q[0] - p[0], q[1] - p[1]);
    if (l > len) { len = l; best = i; }
  });
  const p = z[best], q = z[(best + 1) % z.length];
  z.splice(best + 1, 0, rounded([(p[0] + q[0]) / 2, (p[1] + q[1]) / 2]));
  ed.selected = { kind: 'zone', i: best + 1 };
  update();
}

function removeZonePoint() {
  if (ed.selected?.kind !== 'zone' || ed.g.stop_zone.length <= 3) {
    $('status').textContent = 'Select a stop zone point first (a zone keeps at least 3).';
    return;
  }
  ed.g.stop_zone.splice(ed.selected.i, 1);
  ed.selected = null;
  update();
}

/** Adds a line across the road below the zone (the approach side on most cameras), or removes it. */
function toggleLine(key, below) {
  if (ed.g[key].length) {
    ed.g[key] = [];
  } else {
    const b = bounds(ed.g.stop_zone);
    const y = clamp(b.y1 + ed.h * below, 0, ed.h);
    ed.g[key] = [rounded([b.x0, y]), rounded([Math.max(b.x1, b.x0 + MIN_LINE_PX), y])];
  }
  update();
}

function toggleCalibration() {
  if (ed.g.calibration) {
    ed.g.calibration = null;
  } else {
    const b = bounds(ed.g.stop_zone);
    const image = [[b.x0, b.y0], [b.x1, b.y0], [b.x1, b.y1], [b.x0, b.y1]].map(rounded);
    ed.g.calibration = { image, world: [[0, 10], [3.5, 10], [3.5, 0], [0, 0]] };
  }
  update();
}

/** Every draggable point: which shape, its index, where. */
function handles() {
  const out = [];
  ed.g.stop_zone.forEach((p, i) => out.push({ kind: 'zone', i, p }));
  ed.g.pre_stop_line.forEach((p, i) => out.push({ kind: 'pre', i, p }));
  ed.g.capture_line.forEach((p, i) => out.push({ kind: 'capture', i, p }));
  ed.g.calibration?.image.forEach((p, i) => out.push({ kind: 'calibration', i, p }));
  return out;
}

function toFrame(e) {
  const r = $('editor').getBoundingClientRect();
  return [clamp(((e.clientX - r.left) * ed.w) / r.width, 0, ed.w), clamp(((e.clientY - r.top) * ed.h) / r.height, 0, ed.h)];
}

function down(e) {
  if (!ed.w) return;
  const r = $('editor').getBoundingClientRect();
  const k = r.width / ed.w;
  const reach = (e.pointerType === 'touch' ? 24 : 14) / k;
  const [x, y] = toFrame(e);
  let best = null, dist = reach;
  for (const hd of handles()) {
    const d = Math.hypot(hd.p[0] - x, hd.p[1] - y);
    if (d <= dist) { dist = d; best = hd; }
  }
  ed.selected = best;
  if (best) {
    ed.drag = { ...best, dx: best.p[0] - x, dy: best.p[1] - y };
    $('editor').setPointerCapture(e.pointerId);
    e.preventDefault();
  }
  update();
}

function move(e) {
  if (!ed.drag) return;
  const [x, y] = toFrame(e);
  const p = rounded([clamp(x + ed.drag.dx, 0, ed.w), clamp(y + ed.drag.dy, 0, ed.h)]);
  const { kind, i } = ed.drag;
  const list = kind === 'zone' ? ed.g.stop_zone : kind === 'pre' ? ed.g.pre_stop_line : kind === 'capture' ? ed.g.capture_line : ed.g.calibration.image;
  list[i] = p;
  ed.selected = { kind, i, p };
  update();
}

function up(e) {
  if (!ed.drag) return;
  ed.drag = null;
  $('editor').releasePointerCapture?.(e.pointerId);
  update();
}

function check() {
  return ed.w ? problems(ed.g, ed.w, ed.h) : ['No picture of the camera yet.'];
}

function update() {
  const list = check();
  $('problems').replaceChildren(...list.map((t) => Object.assign(document.createElement('li'), { textContent: t })));
  $('save').disabled = list.length > 0;
  $('toggle-pre').textContent = ed.g.pre_stop_line.length ? '− pre-stop line' : '+ pre-stop line';
  $('toggle-capture').textContent = ed.g.capture_line.length ? '− capture line' : '+ capture line';
  $('toggle-calibration').textContent = ed.g.calibration ? '− calibration' : '+ calibration';
  const s = ed.selected;
  $('selected').textContent = s ? `Selected: ${NAMES[s.kind]} point ${s.i} at [${s.p.join(', ')}]` : 'Drag any point; tap one to select it.';
  worldRows();
  draw();
}

function worldRows() {
  const c = ed.g.calibration;
  $('world').hidden = !c;
  if (!c) return;
  const rows = $('world-rows');
  if (rows.children.length === 4) return; // inputs keep focus while typing
  rows.replaceChildren(...c.world.map((pt, i) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('td'), { textContent: String(i) }));
    [0, 1].forEach((axis) => {
      const input = Object.assign(document.createElement('input'), { type: 'number', step: 'any', value: String(pt[axis]) });
      input.setAttribute('aria-label', `calibration point ${i} ${axis ? 'y' : 'x'} in metres`);
      input.addEventListener('input', () => { c.world[i][axis] = input.value === '' ? NaN : Number(input.value); update(); });
      const td = document.createElement('td');
      td.append(input);
      tr.append(td);
    });
    return tr;
  }));
}

function draw() {
  if (!ed.w) return;
  const scene = $('scene');
  scene.style.aspectRatio = `${ed.w} / ${ed.h}`;
  const canvas = $('editor');
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(scene.clientWidth * dpr);
  canvas.height = Math.round(scene.clientHeight * dpr);
  const ctx = canvas.getContext('2d');
  const k = canvas.width / ed.w;
  ctx.setTransform(k, 0, 0, canvas.height / ed.h, 0, 0);
  ctx.clearRect(0, 0, ed.w, ed.h);
  const px = (v) => (v * dpr) / k;
  const { stop_zone: z, pre_stop_line: pre, capture_line: cap, calibration: cal } = ed.g;
  const path = (pts, close) => {
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    if (close) ctx.closePath();
  };
  if (cal) {
    path(cal.image, true);
    ctx.setLineDash([px(2), px(4)]);
    ctx.lineWidth = px(1.5);
    ctx.strokeStyle = COLORS.calibration;
    ctx.stroke();
  }
  if (z.length) {
    path(z, true);
    ctx.setLineDash([]);
    ctx.fillStyle = 'rgba(239, 68, 68, 0.2)';
    ctx.fill();
    ctx.lineWidth = px(2);
    ctx.strokeStyle = COLORS.zone;
    ctx.stroke();
  }
  [[pre, COLORS.pre, [8, 6]], [cap, COLORS.capture, [3, 4]]].forEach(([line, color, dash]) => {
    if (line.length !== 2) return;
    path(line, false);
    ctx.setLineDash(dash.map(px));
    ctx.lineWidth = px(3);
    ctx.strokeStyle = color;
    ctx.stroke();
  });
  ctx.setLineDash([]);
  for (const hd of handles()) {
    const on = ed.selected && ed.selected.kind === hd.kind && ed.selected.i === hd.i;
    ctx.beginPath();
    ctx.arc(hd.p[0], hd.p[1], px(on ? 8 : 6), 0, 2 * Math.PI);
    ctx.fillStyle = on ? '#fff' : COLORS[hd.kind];
    ctx.fill();
    ctx.lineWidth = px(2);
    ctx.strokeStyle = '#0f172a';
    ctx.stroke();
  }
}

async function save() {
  const list = check();
  if (list.length) return;
  $('save').disabled = true;
  $('status').textContent = 'Saving…';
  const body = { ...ed.g, calibration: ed.g.calibration ?? null };
  const res = await fetch(`/api/cameras/${encodeURIComponent(ed.camera.id)}/geometry`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => null);
  const answer = res ? await res.json().catch(() => ({})) : {};
  $('save').disabled = false;
  if (!res?.ok) {
    $('status').textContent = `Not saved: ${answer.detail ?? 'the server cannot be reached.'}`;
    document.body.dataset.saved = 'error';
    return;
  }
  $('status').textContent = `Saved as version ${answer.version}` + (answer.applied ? '; the judge uses it now.' : '; the judge takes it when its camera starts.');
  $('source').textContent = `saved geometry, version ${answer.version}`;
  document.body.dataset.saved = String(answer.version);
}

start();
