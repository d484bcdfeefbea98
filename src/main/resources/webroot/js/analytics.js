// Analytics: compliance and counts by verdict per hour or day (/api/stats), recent passes (/api/passes).

import { clock, fillCameraFilter, passUrl, seconds, speed, verdictBadge } from './passes.js';

const $ = (id) => document.getElementById(id);
const RANGES = { '24h': { hours: 24, bucket: 'hour' }, '7d': { hours: 24 * 7, bucket: 'day' }, '30d': { hours: 24 * 30, bucket: 'day' } };
const VERDICT_COLORS = { full: '#16a34a', rolling: '#d97706', none: '#dc2626', rejected: '#64748b' };
const charts = {};
const page = { cursors: [null] };

async function start() {
  await fillCameraFilter($('camera'));
  $('camera').addEventListener('change', refresh);
  $('range').addEventListener('change', refresh);
  $('newest').addEventListener('click', () => loadPasses(0, true));
  $('older').addEventListener('click', () => loadPasses(page.index + 1));
  refresh();
}

function refresh() {
  const to = new Date();
  const from = new Date(to.getTime() - RANGES[$('range').value].hours * 3600 * 1000);
  $('csv').href = `/api/passes?${query({ format: 'csv', from: epochSeconds(from), to: epochSeconds(to) })}`;
  loadStats();
  loadPasses(0, true);
}

function query(extra) {
  const params = new URLSearchParams(extra);
  if ($('camera').value) params.set('camera', $('camera').value);
  return params;
}

async function getJson(url) {
  const res = await fetch(url, { cache: 'no-store' });
  if (res.status === 404 || res.status === 503) {
    throw new Error('The history API is not available here (it needs the database, and this process has none).');
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.detail ?? `the server answered ${res.status}`);
  return body;
}

async function loadStats() {
  const range = RANGES[$('range').value];
  const to = new Date();
  const from = new Date(to.getTime() - range.hours * 3600 * 1000);
  try {
    const body = await getJson(`/api/stats?${query({ bucket: range.bucket, from: epochSeconds(from), to: epochSeconds(to) })}`);
    const rows = rowsOf(body);
    showTotals(body.totals ?? sum(rows));
    drawCharts(rows);
    $('message').textContent = rows.length ? '' : 'No passes in this range yet.';
  } catch (e) {
    $('message').textContent = e.message;
  }
}

function epochSeconds(date) {
  return String(Math.floor(date.getTime() / 1000));
}

function rowsOf(body) {
  const rows = Array.isArray(body) ? body : body.buckets ?? body.rows ?? body.items ?? [];
  return rows
    .map((r) => {
      const c = r.counts ?? r;
      const row = { t: epoch(r.start_ts_utc ?? r.start ?? r.ts_utc ?? r.ts), full: n(c.full), rolling: n(c.rolling), none: n(c.none), rejected: n(c.rejected) };
      row.compliance = typeof r.compliance === 'number' ? r.compliance : compliance(row);
      return row;
    })
    .filter((r) => Number.isFinite(r.t))
    .sort((a, b) => a.t - b.t);
}

function epoch(v) {
  if (typeof v === 'number') return v > 1e12 ? v / 1000 : v;
  return typeof v === 'string' ? Date.parse(v) / 1000 : NaN;
}

function n(v) {
  return typeof v === 'number' ? v : 0;
}

// the one definition (judge/Verdict): full / (full + rolling + none), rejected never counts
function compliance(c) {
  const counted = n(c.full) + n(c.rolling) + n(c.none);
  return counted ? n(c.full) / counted : null;
}

function sum(rows) {
  const t = { full: 0, rolling: 0, none: 0, rejected: 0 };
  rows.forEach((r) => Object.keys(t).forEach((k) => (t[k] += r[k])));
  return t;
}

function showTotals(totals) {
  const c = typeof totals.compliance === 'number' ? totals.compliance : compliance(totals);
  const cells = [['compliance', c === null ? '–' : `${(c * 100).toFixed(1)} %`]];
  ['full', 'rolling', 'none', 'rejected'].forEach((k) => cells.push([k === 'none' ? 'no stop' : k, String(n(totals[k]))]));
  $('totals').replaceChildren(...cells.map(([label, value]) => {
    const div = document.createElement('div');
    const b = document.createElement('b');
    b.textContent = value;
    div.append(b, label);
    return div;
  }));
}

function drawCharts(rows) {
  const width = Math.max(200, $('compliance-chart').clientWidth);
  const x = rows.map((r) => r.t);
  const complianceData = [x, rows.map((r) => (r.compliance === null ? null : r.compliance * 100))];
  const countsData = [x, ...['full', 'rolling', 'none', 'rejected'].map((k) => rows.map((r) => r[k]))];
  Object.values(charts).forEach((c) => c.destroy());
  charts.compliance = new uPlot({
    width, height: 220,
    scales: { y: { range: [0, 100] } },
    series: [{}, { label: 'compliance %', stroke: '#22d3ee', width: 2, points: { show: true } }],
    axes: [{ stroke: '#94a3b8' }, { stroke: '#94a3b8', size: 60, values: (u, v) => v.map((p) => `${p} %`) }],
  }, complianceData, $('compliance-chart'));
  charts.counts = new uPlot({
    width, height: 220,
    series: [{}, ...['full', 'rolling', 'none', 'rejected'].map((k) => ({ label: k, stroke: VERDICT_COLORS[k], width: 2, points: { show: true } }))],
    axes: [{ stroke: '#94a3b8' }, { stroke: '#94a3b8', size: 60 }],
  }, countsData, $('counts-chart'));
}

async function loadPasses(index, reset) {
  if (reset) page.cursors = [null];
  const cursor = page.cursors[index];
  if (index > 0 && !cursor) return;
  const params = query({ limit: '25' });
  if (cursor) params.set('cursor', cursor);
  try {
    const body = await getJson(`/api/passes?${params}`);
    page.index = index;
    page.cursors[index + 1] = body.next_cursor ?? null;
    $('older').disabled = !body.next_cursor;
    $('passes').replaceChildren(...(Array.isArray(body) ? body : body.items ?? []).map(row));
  } catch (e) {
    $('message').textContent = e.message;
    $('older').disabled = true;
  }
}

function row(p) {
  const tr = document.createElement('tr');
  const cell = (content) => {
    const td = document.createElement('td');
    td.append(content);
    tr.append(td);
  };
  const when = document.createElement('a');
  when.href = passUrl(p.id);
  when.textContent = `${new Date(p.ts_utc * 1000).toLocaleDateString()} ${clock(p.ts_utc)}`;
  cell(when);
  cell(p.camera ?? '');
  cell(verdictBadge(p.verdict));
  cell(seconds(p.time_in_zone));
  cell(seconds(p.stop_duration));
  cell(speed(p.min_speed, p.speed_unit));
  cell(speed(p.entry_speed, p.speed_unit));
  if (p.snapshot_url) {
    const a = document.createElement('a');
    a.href = p.snapshot_url;
    a.target = '_blank';
    a.rel = 'noopener';
    a.textContent = 'open';
    cell(a);
  } else {
    cell('');
  }
  return tr;
}

start();
