// The zone editor's checks, the same as the server's (camera/EditedGeometry, StopZone, LineSegment,
// GroundCalibration) with the same sentences, so a drawing is refused here before Save is pressed.

export const MAX_ZONE_POINTS = 32;
export const MIN_LINE_PX = 10;
const MIN_GATE_ANGLE_DEG = 20;

const cross = (a, b, c) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
const onSegment = (a, b, p) =>
  Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);

/** Whether segments ab and cd share a point (touching counts). */
export function segmentsIntersect(a, b, c, d) {
  const d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (d1 === 0 && onSegment(c, d, a)) || (d2 === 0 && onSegment(c, d, b)) || (d3 === 0 && onSegment(a, b, c)) || (d4 === 0 && onSegment(a, b, d));
}

const fmt = (p) => `[${p.map((v) => (Number.isInteger(v) ? v : +v.toFixed(2))).join(', ')}]`;

/** The polygon checks of StopZone.of: null when fine, else the reason. */
function polygonProblem(points) {
  const n = points.length;
  if (n < 3) return 'must be a polygon of at least 3 [x, y] points';
  let area2 = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    if (points[i][0] === points[j][0] && points[i][1] === points[j][1]) return `has a repeated point (point ${i})`;
    area2 += points[i][0] * points[j][1] - points[j][0] * points[i][1];
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (!adjacent && segmentsIntersect(points[i], points[(i + 1) % n], points[j], points[(j + 1) % n])) {
        return `is self-intersecting (edges ${i} and ${j} cross)`;
      }
    }
  }
  if (Math.abs(area2) < 1e-6) return 'has no area (its points are collinear)';
  const sign = Math.sign(area2);
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n, k = (i + 2) % n;
    if (cross(points[i], points[j], points[k]) * sign < -1e-9) return `must be convex (it turns inwards at point ${j})`;
  }
  return null;
}

function quadProblem(points) {
  if (points.length !== 4) return 'must be exactly 4 [x, y] points';
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) for (let k = j + 1; k < 4; k++) {
    if (Math.abs(cross(points[i], points[j], points[k])) < 1e-9) return `is degenerate: points ${i}, ${j}, ${k} are in a line`;
  }
  return polygonProblem(points);
}

function outside(key, points, w, h) {
  const i = points.findIndex(([x, y]) => x < 0 || y < 0 || x > w || y > h);
  return i < 0 ? null : `${key} point ${i} ${fmt(points[i])} is outside the ${w}x${h} frame`;
}

function tooShort(key, line) {
  if (!line.length) return null;
  const len = Math.hypot(line[1][0] - line[0][0], line[1][1] - line[0][1]);
  if (len === 0) return `${key} = ${fmt(line)}: its 2 points must differ`;
  return len < MIN_LINE_PX ? `${key} is ${Math.round(len * 10) / 10} px long: draw it at least ${MIN_LINE_PX} px long, across the road` : null;
}

function gateProblem(zone, gate) {
  const [a, b] = gate;
  for (let i = 0; i < zone.length; i++) {
    if (segmentsIntersect(a, b, zone[i], zone[(i + 1) % zone.length])) {
      return 'pre_stop_line crosses the stop zone: it is the line vehicles cross before the zone, so draw it on the approach side, outside the zone';
    }
  }
  const cx = zone.reduce((s, p) => s + p[0], 0) / zone.length;
  const cy = zone.reduce((s, p) => s + p[1], 0) / zone.length;
  const toZone = Math.atan2(cy - (a[1] + b[1]) / 2, cx - (a[0] + b[0]) / 2);
  const along = Math.atan2(b[1] - a[1], b[0] - a[0]);
  const angle = (Math.abs(Math.asin(Math.sin(toZone - along))) * 180) / Math.PI;
  return angle < MIN_GATE_ANGLE_DEG ? `pre_stop_line points at the stop zone (${Math.round(angle)}° from the way to it): draw it across the approach, not along it` : null;
}

/**
 * Every problem of a geometry ({stop_zone, pre_stop_line, capture_line, calibration}) on a w x h
 * frame, in the server's order; empty when the server would take it.
 */
export function problems(g, w, h) {
  const out = [];
  const add = (p) => p && out.push(p);
  if (!g.stop_zone?.length) return ['stop_zone is required: a convex polygon of 3 to 32 [x, y] points'];
  const zone = polygonProblem(g.stop_zone);
  if (zone) add(`stop_zone ${zone}`);
  if (g.stop_zone.length > MAX_ZONE_POINTS) add(`stop_zone has ${g.stop_zone.length} points: at most ${MAX_ZONE_POINTS} make a stop zone`);
  for (const key of ['pre_stop_line', 'capture_line']) {
    if (g[key].length && g[key].length !== 2) add(`${key} must be exactly 2 [x, y] points`);
  }
  if (g.calibration) {
    add(quadProblem(g.calibration.image) && `calibration.image ${quadProblem(g.calibration.image)}`);
    if (g.calibration.world.some((p) => p.some((v) => !Number.isFinite(v)))) add('calibration.world: every point needs x and y in metres');
    else add(quadProblem(g.calibration.world) && `calibration.world ${quadProblem(g.calibration.world)}`);
  }
  add(outside('stop_zone', g.stop_zone, w, h));
  add(outside('pre_stop_line', g.pre_stop_line, w, h));
  add(outside('capture_line', g.capture_line, w, h));
  if (g.calibration) add(outside('calibration.image', g.calibration.image, w, h));
  add(tooShort('pre_stop_line', g.pre_stop_line));
  add(tooShort('capture_line', g.capture_line));
  if (!zone && g.pre_stop_line.length === 2) add(gateProblem(g.stop_zone, g.pre_stop_line));
  return out;
}
