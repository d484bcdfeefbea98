// Metadata kept for a few seconds, the clock that maps video time to it, and the drawing.

const STALE_S = 1.0; // farther than this from the video time, a message is not drawn
const MAX_OFFSET_S = 120;

/** Recent metadata messages of one camera, ordered by ts_utc. */
export class MetadataBuffer {
  constructor(spanS = 30, max = 3000) {
    this.spanS = spanS;
    this.max = max;
    this.items = [];
    this.arrivals = [];
  }

  clear() {
    this.items = [];
    this.arrivals = [];
  }

  add(msg) {
    if (typeof msg.ts_utc !== 'number' || !Array.isArray(msg.tracks)) return;
    const items = this.items;
    let i = items.length;
    while (i > 0 && items[i - 1].ts_utc > msg.ts_utc) i--;
    items.splice(i, 0, msg);
    const newest = items[items.length - 1].ts_utc;
    while (items.length > this.max || items[0].ts_utc < newest - this.spanS) items.shift();
    const now = performance.now();
    this.arrivals.push(now);
    while (this.arrivals.length && this.arrivals[0] < now - 2000) this.arrivals.shift();
  }

  newest() {
    return this.items.length ? this.items[this.items.length - 1] : null;
  }

  /** Messages per second over the last two seconds. */
  fps() {
    const now = performance.now();
    while (this.arrivals.length && this.arrivals[0] < now - 2000) this.arrivals.shift();
    return this.arrivals.length / 2;
  }

  /** The messages just before and just after time t (either may be null). */
  bracket(t) {
    const items = this.items;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid].ts_utc <= t) lo = mid + 1; else hi = mid;
    }
    return { before: lo > 0 ? items[lo - 1] : null, after: lo < items.length ? items[lo] : null };
  }

  /**
   * What to draw at time t: the nearest message, with boxes interpolated toward the next one when
   * the two are close (smooth boxes when inference runs slower than the video). Null when stale.
   */
  at(t) {
    const { before, after } = this.bracket(t);
    const nearest = !before ? after : !after ? before
      : (t - before.ts_utc <= after.ts_utc - t ? before : after);
    if (!nearest || Math.abs(nearest.ts_utc - t) > STALE_S) return null;
    // drawn_ts: the moment the drawn boxes stand for (alignment is measured against it)
    if (!before || !after || after.ts_utc - before.ts_utc > STALE_S) return { ...nearest, drawn_ts: nearest.ts_utc };
    const k = (t - before.ts_utc) / (after.ts_utc - before.ts_utc);
    const next = new Map(after.tracks.map((tr) => [tr.id, tr]));
    const tracks = before.tracks.map((tr) => {
      const other = next.get(tr.id);
      if (!other || !Array.isArray(tr.bbox) || !Array.isArray(other.bbox)) return tr;
      return { ...tr, bbox: tr.bbox.map((v, j) => v + (other.bbox[j] - v) * k) };
    });
    return { ...nearest, tracks, drawn_ts: t };
  }
}

/**
 * Offset added to the video's UTC to find its metadata. Auto mode trusts the video clock (offset 0)
 * while the video trails the metadata by a plausible playback delay; otherwise (a camera or server
 * clock that is off) it follows the median gap less the player's own latency. A manual value wins.
 */
export class ClockSync {
  constructor() {
    this.gaps = [];
    this.auto = 0;
    this.manual = null;
  }

  reset() {
    this.gaps = [];
    this.auto = 0;
  }

  sample(newestTs, videoUtc, latencyHint, bufferSpanS) {
    this.gaps.push(newestTs - videoUtc);
    if (this.gaps.length > 40) this.gaps.shift();
    const gap = median(this.gaps);
    const plausible = Math.min((latencyHint ?? 8) + 4, bufferSpanS - 1);
    if (gap >= -0.5 && gap <= plausible) {
      this.auto = 0;
    } else {
      const wanted = gap - (latencyHint ?? 0);
      this.auto = Math.round(Math.max(-MAX_OFFSET_S, Math.min(MAX_OFFSET_S, wanted)) * 20) / 20;
    }
  }

  /** Median of (newest metadata time - video time): how far the video trails the analysis. */
  lag() {
    return this.gaps.length ? median(this.gaps) : null;
  }

  offset() {
    return this.manual ?? this.auto;
  }
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The rectangle where the video picture is shown inside its element (object-fit: contain). */
export function pictureRect(video, rawW, rawH) {
  const cw = video.clientWidth;
  const ch = video.clientHeight;
  const vw = video.videoWidth || rawW || cw;
  const vh = video.videoHeight || rawH || ch;
  const scale = Math.min(cw / vw, ch / vh);
  const w = vw * scale;
  const h = vh * scale;
  return { x: (cw - w) / 2, y: (ch - h) / 2, w, h };
}

const STYLE = {
  moving: { stroke: '#22d3ee', width: 2, dash: [], fill: null },
  inZone: { stroke: '#f59e0b', width: 3, dash: [], fill: 'rgba(245, 158, 11, 0.18)' },
  parked: { stroke: '#94a3b8', width: 1.5, dash: [6, 4], fill: null },
};

/** Sizes the canvas to its element (device pixels) and returns a context in CSS pixels. */
export function prepareCanvas(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(canvas.clientWidth * dpr);
  const h = Math.round(canvas.clientHeight * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** Draws the stop zone and the tracks of one message; returns the number of boxes drawn. */
export function drawFrame(ctx, video, msg, zone, speedUnit) {
  const raw = msg?.raw_dimensions ?? zone?.raw;
  if (!raw || !raw.w || !raw.h) return 0;
  const rect = pictureRect(video, raw.w, raw.h);
  const sx = rect.w / raw.w;
  const sy = rect.h / raw.h;
  const px = (x) => rect.x + x * sx;
  const py = (y) => rect.y + y * sy;

  const polygon = msg?.zones?.stop ?? zone?.stop;
  if (Array.isArray(polygon) && polygon.length >= 3) {
    ctx.beginPath();
    polygon.forEach(([x, y], i) => (i ? ctx.lineTo(px(x), py(y)) : ctx.moveTo(px(x), py(y))));
    ctx.closePath();
    ctx.fillStyle = 'rgba(239, 68, 68, 0.15)';
    ctx.fill();
    ctx.setLineDash([8, 5]);
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#ef4444';
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (!msg) return 0;

  let drawn = 0;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'bottom';
  for (const track of msg.tracks) {
    if (!Array.isArray(track.bbox) || track.bbox.length !== 4) continue;
    const [x1, y1, x2, y2] = track.bbox;
    const style = track.is_parked ? STYLE.parked : track.in_zone ? STYLE.inZone : STYLE.moving;
    const x = px(x1);
    const y = py(y1);
    const w = (x2 - x1) * sx;
    const h = (y2 - y1) * sy;
    if (style.fill) {
      ctx.fillStyle = style.fill;
      ctx.fillRect(x, y, w, h);
    }
    ctx.setLineDash(style.dash);
    ctx.lineWidth = style.width;
    ctx.strokeStyle = style.stroke;
    ctx.strokeRect(x, y, w, h);
    ctx.setLineDash([]);
    const label = labelOf(track, msg.speed_unit ?? speedUnit);
    const tw = ctx.measureText(label).width + 8;
    const ly = y > 16 ? y : y + 16;
    ctx.fillStyle = 'rgba(15, 23, 42, 0.8)';
    ctx.fillRect(x, ly - 16, tw, 16);
    ctx.fillStyle = style.stroke;
    ctx.fillText(label, x + 4, ly - 2);
    drawn++;
  }
  return drawn;
}

// A track's speed is null until the server knows it: shown as a dash, never as 0.
export function labelOf(track, unit) {
  const name = `${track.cls ?? 'object'} #${track.id}`;
  if (track.is_parked) return `${name} · parked`;
  const value = typeof track.speed === 'number' ? track.speed.toFixed(1) : '—';
  return `${name} · ${value} ${unit ?? 'px/s'}`;
}
