// What the live page says over the video when the picture or the metadata stops. A looped file
// restarting or a camera reconnecting stops the metadata for a moment while the buffered video
// plays on: only a state that stays bad past a grace period gets a banner.

/** How long video or metadata must stay stopped before the page says so. */
export const GRACE_MS = 5000;

export class StreamBanner {
  constructor(camera, grace = GRACE_MS) {
    this.camera = camera;
    this.grace = grace;
    this.badSince = null;
  }

  /** Whether /ready is worth asking: something is stopped now. */
  needsCheck({ playing, metadata }) {
    return !(playing && metadata);
  }

  /**
   * The banner for one observation, or null for none.
   *
   * @param now milliseconds (any monotonic clock)
   * @param playing the video advanced since the last observation
   * @param metadata metadata arrived recently
   * @param check the camera's /ready check ({status, data}) or null when unknown
   * @param playerStatus what the player says about the video, or null
   */
  update({ now, playing, metadata, check, playerStatus }) {
    if (playing && metadata) {
      this.badSince = null;
      return null;
    }
    if (this.badSince === null) this.badSince = now;
    if (now - this.badSince < this.grace) return null;
    const reason = check?.data?.reason ?? check?.data?.state;
    const down = check && check.status !== 'UP';
    if (down && playing) {
      return { text: `Camera ${this.camera} sends no new frames${reason ? ` (${reason})` : ''}; the video plays what was buffered.`, cause: 'camera' };
    }
    if (down) return { text: `Camera ${this.camera} is not streaming${reason ? `: ${reason}` : ''}.`, cause: 'camera' };
    if (!metadata) return { text: `No detections from camera ${this.camera} yet${reason ? ` (${reason})` : ''}.`, cause: 'metadata' };
    return { text: playerStatus ?? 'Waiting for the video…', cause: 'video' };
  }
}
