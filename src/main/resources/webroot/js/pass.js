// One pass: its snapshot with the trajectory and the zone drawn over it, the replay clip with the
// stored boxes, the judge's speed over time with the thresholds, the numbers behind the verdict and
// a what-if re-score (/api/passes/{id}).

import { playClip } from './clip-player.js';
import { clock, seconds, speed, verdictBadge } from './passes.js';

const $ = (id) => document.getElementById(id);
const COLORS = { zone: '#ef4444', pre: '#22d3ee', capture: '#facc15', out: '#e2e8f0', in: '#f59e0b' };
const page = {};

async function start() {
  const id = new URLSearchParams(location.search).get('id');
  if (!id) return fail('No pass given: open this page from a pass list (pass.html?id=…).');
  const res = await fetch(`/api/passes/${encodeURIComponent(id)}`, { cache: 'no-store' }).catch(() => null);
  if (!res) return fail('The server cannot be reached.');
  const body = await res.json().catch(() => ({}));
  if (!res.ok) return fail(body.detail ?? `The server answered ${res.status}.`);
  page.pass = body;
  page.scoring = body.scoring ?? null;
  showTitle(body);
  showNumbers(body, page.scoring);
  drawSpeeds(body, page.scoring);
  fillRescoreForm(page.scoring);
  playClip(body, page.scoring);
  $('rescore').addEventListener('submit', rescore);
  const img = $('snapshot');
  img.addEventListener('load', () => { img.hidden = false; drawScene(); });
  img.addEventListener('error', () => { img.hidden = true; drawScene(); });
  if (body.snapshot_url) img.src = body.snapshot_url;
  drawScene();
  window.addEventListener('resize', () => { drawScene(); drawSpeeds(page.pass, page.scoring); });
  document.body.dataset.ready = 'true';
}

function fail(text) {
  $('message').textContent = text;
  document.body.dataset.ready = 'error';
}

function showTitle(p) {
  const when = new Date(p.ts_utc * 1000);
  $('title').replaceChildren(verdictBadge(p.verdict), `${p.camera} · ${when.toLocaleDateString()} ${clock(p.ts_utc)} · track #${p.track_id}`);
  document.title = `StopSign · Pass ${p.camera} ${clock(p.ts_utc)}`;
}

function showNumbers(p, scoring) {
  const th = scoring?.thresholds ?? {};
  const unit = p.speed_unit;
  const rows = [
    ['verdict', verdictBadge(p.verdict)],
    ['reason', p.reason ?? '–'],
    ['time in zone', seconds(p.time_in_zone), limits(th, [['full ≥', 'full_min_time_in_zone', 's'], ['rolling ≥', 'rolling_min_time_in_zone', 's']])],
    ['stop duration', seconds(p.stop_duration), limits(th, [['full ≥', 'full_min_stop_duration', 's']])],
    ['min speed', speed(p.min_speed, unit), limits(th, [['stopped <', 'stop_speed', unit], ['rolling <', 'rolling_max_speed', unit]])],
    ['entry speed', speed(p.entry_speed, unit)],
    ['zone entry → exit', `${clock(p.entry_ts_utc)} → ${clock(p.ts_utc)}`],
    ['samples', String(p.trajectory?.length ?? 0)],
  ];
  $('numbers').replaceChildren(...rows.map(([name, value, rule]) => {
    const tr = document.createElement('tr');
    const th1 = document.createElement('th');
    th1.textContent = name;
    const td = document.createElement('td');
    td.append(value);
    const rl = document.createElement('td');
    rl.className = 'muted';
    rl.textContent = rule ?? '';
    tr.append(th1, td, rl);
    return tr;
  }));
  if (!scoring) $('message').textContent = `Camera ${p.camera} is no longer configured: no zone or thresholds to show.`;
}

function limits(th, rules) {
  return rules
    .filter(([, key]) => typeof th[key] === 'number')
    .map(([label, key, unit]) => `${label} ${th[key]} ${unit}`)
    .join(' · ');
}

// Bottom centre of the box: the point the judge scores.
function ground(s) {
  return [(s[1] + s[3]) / 2, s[4]];
}

function frameSize(p, scoring) {
  const img = $('snapshot');
  if (!img.hidden && img.naturalWidth) return [img.naturalWidth, img.naturalHeight];
  const points = [...(p.trajectory ?? []).flatMap((s) => [[s[1], s[2]], [s[3], s[4]]]),
    ...(scoring?.stop_zone ?? []), ...(scoring?.pre_stop_line ?? []), ...(scoring?.capture_line ?? [])];
  const w = Math.max(16, ...points.map((q) => q[0])) * 1.05;
  const h = Math.max(9, ...points.map((q) => q[1])) * 1.05;
  return [w, h];
}

function drawScene() {
  const p = page.pass;
  if (!p) return;
  const [fw, fh] = frameSize(p, page.scoring);
  const scene = $('scene');
  scene.style.aspectRatio = `${fw} / ${fh}`;
  const canvas = $('trajectory');
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(scene.clientWidth * dpr);
  canvas.height = Math.round(scene.clientHeight * dpr);
  const ctx = canvas.getContext('2d');
  const k = canvas.width / fw;
  ctx.setTransform(k, 0, 0, canvas.height / fh, 0, 0);
  ctx.clearRect(0, 0, fw, fh);
  const line = (w) => (ctx.lineWidth = (w * dpr) / k);
  const sc = page.scoring;
  if (sc?.stop_zone?.length > 2) {
    ctx.beginPath();
    sc.stop_zone.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    ctx.closePath();
    ctx.fillStyle = 'rgba(239, 68, 68, 0.2)';
    ctx.fill();
    ctx.strokeStyle = COLORS.zone;
    line(2);
    ctx.stroke();
  }
  segment(ctx, sc?.pre_stop_line, COLORS.pre, line, [8, 6]);
  segment(ctx, sc?.capture_line, COLORS.capture, line, [3, 4]);
  const samples = p.trajectory ?? [];
  const inZone = (sc?.speeds ?? []).map((s) => s[2] === true);
  if (samples.length) {
    const first = samples[0];
    const last = samples[samples.length - 1];
    line(1);
    ctx.setLineDash([4, 4]);
    ctx.strokeStyle = 'rgba(226, 232, 240, 0.7)';
    [first, last].forEach((s) => ctx.strokeRect(s[1], s[2], s[3] - s[1], s[4] - s[2]));
    ctx.setLineDash([]);
  }
  line(3);
  for (let i = 1; i < samples.length; i++) {
    ctx.beginPath();
    ctx.strokeStyle = inZone[i] ? COLORS.in : COLORS.out;
    ctx.moveTo(...ground(samples[i - 1]));
    ctx.lineTo(...ground(samples[i]));
    ctx.stroke();
  }
  samples.forEach((s, i) => {
    const [x, y] = ground(s);
    ctx.beginPath();
    ctx.fillStyle = inZone[i] ? COLORS.in : COLORS.out;
    ctx.arc(x, y, (2.5 * dpr) / k, 0, Math.PI * 2);
    ctx.fill();
  });
}

function segment(ctx, points, color, line, dash) {
  if (!points || points.length < 2) return;
  ctx.beginPath();
  ctx.setLineDash(dash.map((d) => (d * (window.devicePixelRatio || 1)) / ctx.getTransform().a));
  ctx.strokeStyle = color;
  line(2);
  points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.stroke();
  ctx.setLineDash([]);
}

function drawSpeeds(p, scoring) {
  const host = $('speed-chart');
  page.chart?.destroy();
  page.chart = null;
  const speeds = scoring?.speeds ?? [];
  if (!speeds.length) {
    $('speed-note').textContent = scoring?.speeds_error
      ? `The stored trajectory cannot be replayed: ${scoring.speeds_error}.`
      : 'No speeds to chart for this pass.';
    return;
  }
  const th = scoring.thresholds ?? {};
  const unit = scoring.speed_unit ?? p.speed_unit;
  const x = speeds.map((s) => s[0]);
  const all = speeds.map((s) => s[1]);
  const zone = speeds.map((s) => (s[2] ? s[1] : null));
  const flat = (v) => x.map(() => (typeof v === 'number' ? v : null));
  page.chart = new uPlot({
    width: Math.max(280, host.clientWidth),
    height: 220,
    series: [
      {},
      { label: `speed (${unit})`, stroke: COLORS.out, width: 1.5 },
      { label: 'in the zone', stroke: COLORS.in, width: 3 },
      { label: 'stop speed', stroke: COLORS.zone, width: 1, dash: [6, 4], points: { show: false } },
      { label: 'rolling max', stroke: COLORS.capture, width: 1, dash: [3, 4], points: { show: false } },
    ],
    axes: [{ stroke: '#94a3b8' }, { stroke: '#94a3b8', size: 50 }],
  }, [x, all, zone, flat(th.stop_speed), flat(th.rolling_max_speed)], host);
  $('speed-note').textContent = `The judge's speed of the box's bottom centre (median slope over ${th.speed_window_s ?? '?'} s); the verdict's stop duration is the time below the stop speed inside the zone.`;
}

const FIELDS = ['stop_speed', 'rolling_max_speed', 'full_min_time_in_zone', 'full_min_stop_duration', 'rolling_min_time_in_zone'];

function fillRescoreForm(scoring) {
  const form = $('rescore');
  FIELDS.forEach((name) => {
    const v = scoring?.thresholds?.[name];
    if (typeof v === 'number') form.elements[name].value = String(v);
  });
  form.querySelector('button').disabled = !scoring;
}

async function rescore(event) {
  event.preventDefault();
  const p = page.pass;
  const form = $('rescore');
  const thresholds = {};
  FIELDS.forEach((name) => {
    const raw = form.elements[name].value.trim();
    if (raw !== '') thresholds[name] = Number(raw);
  });
  // A range around this pass only; other passes of the same instant are ignored in the answer.
  const request = { camera: p.camera, from: p.ts_utc - 0.001, to: p.ts_utc + 0.001, thresholds };
  const out = $('rescore-result');
  out.textContent = 'Scoring…';
  try {
    const res = await fetch('/api/passes/rescore', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      out.textContent = body.detail ?? `The server answered ${res.status}.`;
      return;
    }
    const changed = (body.changed ?? []).find((c) => c.id === p.id);
    const unscored = (body.unscored ?? []).find((c) => c.id === p.id);
    if (unscored) {
      out.textContent = `This pass cannot be replayed: ${unscored.reason}.`;
    } else if (changed) {
      out.replaceChildren('With these thresholds: ', verdictBadge(changed.verdict_after),
        ` (was ${p.verdict}; stopped ${seconds(changed.stop_duration)}, min ${speed(changed.min_speed, p.speed_unit)}${changed.reason ? `, ${changed.reason}` : ''}).`);
    } else {
      out.replaceChildren('With these thresholds the verdict stays ', verdictBadge(p.verdict), '.');
    }
  } catch (e) {
    out.textContent = 'The server cannot be reached.';
  }
}

start();
