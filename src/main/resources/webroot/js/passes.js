// The list of completed passes: live ones from the WebSocket, recent ones from the API.

const VERDICTS = { full: 'Full stop', rolling: 'Rolling stop', none: 'No stop', rejected: 'Rejected' };
const MAX_SHOWN = 50;

export class PassList {
  constructor(list, empty) {
    this.list = list;
    this.empty = empty;
    this.ids = new Set();
  }

  clear() {
    this.list.replaceChildren();
    this.ids.clear();
    this.empty.hidden = false;
  }

  /** Fills the list with recent passes when the history API is there; silent otherwise. */
  async load(camera) {
    try {
      const res = await fetch(`/api/passes?camera=${encodeURIComponent(camera)}&limit=20`);
      if (!res.ok) return;
      const body = await res.json();
      const items = Array.isArray(body) ? body : body.items ?? [];
      [...items].reverse().forEach((p) => this.add(p));
    } catch (e) {
      // no API in this process: live passes still appear
    }
  }

  add(pass) {
    if (!pass || !pass.id || this.ids.has(pass.id)) return;
    this.ids.add(pass.id);
    this.empty.hidden = true;
    this.list.prepend(render(pass));
    while (this.list.children.length > MAX_SHOWN) this.list.lastElementChild.remove();
  }
}

export function verdictBadge(verdict) {
  const badge = document.createElement('span');
  badge.className = `badge ${VERDICTS[verdict] ? verdict : 'rejected'}`;
  badge.textContent = VERDICTS[verdict] ?? String(verdict);
  return badge;
}

export function seconds(v) {
  return typeof v === 'number' ? `${v.toFixed(1)} s` : '–';
}

export function speed(v, unit) {
  return typeof v === 'number' ? `${v.toFixed(1)} ${unit ?? 'px/s'}` : '–';
}

/** The pass detail page of a pass. */
export function passUrl(id) {
  return `pass.html?id=${encodeURIComponent(id)}`;
}

export function clock(tsUtc) {
  return typeof tsUtc === 'number' ? new Date(tsUtc * 1000).toLocaleTimeString() : '';
}

function render(pass) {
  const item = document.createElement('li');
  item.className = 'pass';
  item.dataset.verdict = pass.verdict;
  const head = document.createElement('div');
  head.append(verdictBadge(pass.verdict));
  const time = document.createElement('time');
  time.textContent = clock(pass.ts_utc);
  const detail = document.createElement('a');
  detail.className = 'detail-link';
  detail.href = passUrl(pass.id);
  detail.textContent = `track #${pass.track_id ?? '?'}`;
  detail.title = 'trajectory, speeds and the numbers behind the verdict';
  head.append(time, ' · ', detail);
  const facts = document.createElement('div');
  facts.className = 'facts';
  facts.textContent =
    `in zone ${seconds(pass.time_in_zone)} · stopped ${seconds(pass.stop_duration)}` +
    ` · min ${speed(pass.min_speed, pass.speed_unit)}`;
  item.append(head, facts);
  if (pass.snapshot_url) {
    const link = document.createElement('a');
    link.className = 'thumb';
    link.href = pass.snapshot_url;
    link.target = '_blank';
    link.rel = 'noopener';
    const img = document.createElement('img');
    img.loading = 'lazy';
    img.alt = `snapshot of track ${pass.track_id}`;
    img.src = pass.snapshot_url;
    img.onerror = () => link.remove();
    link.append(img);
    item.append(link);
  }
  return item;
}

/** Fills a camera <select> from /api/cameras and picks ?camera= when it names one of them. */
export async function fillCameraFilter(select) {
  try {
    const res = await fetch('/api/cameras', { cache: 'no-store' });
    const cameras = res.ok ? await res.json() : [];
    (Array.isArray(cameras) ? cameras : cameras.items ?? []).forEach((c) => {
      const option = document.createElement('option');
      option.value = c.id;
      option.textContent = c.id;
      select.append(option);
    });
  } catch (e) {
    // the camera filter stays at "all cameras"
  }
  const wanted = new URLSearchParams(location.search).get('camera');
  if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
}
