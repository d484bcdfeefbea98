// Records (/api/records): fastest violators, longest stops, best and worst days; CSV of the range.

import { clock, fillCameraFilter, passUrl, seconds, speed, verdictBadge } from './passes.js';

const $ = (id) => document.getElementById(id);

async function start() {
  await fillCameraFilter($('camera'));
  $('camera').addEventListener('change', load);
  $('range').addEventListener('change', load);
  load();
}

/** The chosen range and camera as query parameters (epoch seconds). */
export function rangeQuery(days, camera) {
  const to = Math.ceil(Date.now() / 1000);
  const params = new URLSearchParams({ from: String(to - days * 86400), to: String(to) });
  if (camera) params.set('camera', camera);
  return params;
}

async function load() {
  const params = rangeQuery(Number($('range').value), $('camera').value);
  $('csv').href = `/api/passes?format=csv&${params}`;
  $('message').textContent = 'Loading…';
  document.body.dataset.ready = 'loading';
  try {
    const res = await fetch(`/api/records?limit=10&${params}`, { cache: 'no-store' });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.detail ?? `the server answered ${res.status}`);
    list('fastest', body.fastest_no_stops, (p) => speed(p.entry_speed, p.speed_unit));
    list('longest', body.longest_stops, (p) => `stopped ${seconds(p.stop_duration)}`);
    list('rolling', body.fastest_rolling, (p) => `min ${speed(p.min_speed, p.speed_unit)}`);
    days('best-days', body.best_days);
    days('worst-days', body.worst_days);
    document.querySelectorAll('.tz').forEach((e) => (e.textContent = body.timezone ?? 'the configured time zone'));
    $('message').textContent = '';
    document.body.dataset.ready = 'true';
  } catch (e) {
    $('message').textContent = e.message;
    document.body.dataset.ready = 'error';
  }
}

function list(id, passes, measure) {
  const items = (passes ?? []).map((p) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = passUrl(p.id);
    a.textContent = `${new Date(p.ts_utc * 1000).toLocaleDateString()} ${clock(p.ts_utc)}`;
    const value = document.createElement('b');
    value.textContent = measure(p);
    li.append(value, ' ', verdictBadge(p.verdict), a, ` · ${p.camera}`);
    return li;
  });
  $(id).replaceChildren(...(items.length ? items : [empty()]));
}

function days(id, rows) {
  const items = (rows ?? []).map((d) => {
    const li = document.createElement('li');
    const value = document.createElement('b');
    value.textContent = `${(d.compliance * 100).toFixed(1)} %`;
    const counted = d.full + d.rolling + d.none;
    li.append(value, ` ${String(d.start).slice(0, 10)} · ${d.full} of ${counted} full stops`);
    return li;
  });
  $(id).replaceChildren(...(items.length ? items : [empty()]));
}

function empty() {
  const li = document.createElement('li');
  li.className = 'muted';
  li.textContent = 'Nothing in this range.';
  return li;
}

start();
