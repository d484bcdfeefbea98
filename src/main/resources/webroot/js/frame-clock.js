// The capture time (UTC seconds) of each picture the video element presents, from the metadata of
// requestVideoFrameCallback: the overlay draws the detections of that very picture.

const RTP_HZ = 90000;
const WINDOW_FRAMES = 300; // ~10 s of frames to find the fastest transit in

/**
 * WebRTC: the sender's capture time, from Chromium's captureTime when it has one (it needs an RTT,
 * which a receive-only peer seldom has), else the RTP timestamp on a clock recovered from arrivals:
 * capture = rtp / 90 kHz + the smallest (arrival - rtp / 90 kHz) seen lately, i.e. the frame's
 * media time shifted by the fastest transit, so network jitter does not move the picture's time.
 */
export class RtpClock {
  constructor() {
    this.reset();
  }

  reset() {
    this.offsets = [];
    this.lastRtp = null;
    this.cycles = 0;
  }

  utc(meta) {
    if (typeof meta.captureTime === 'number' && meta.captureTime > 0) {
      return (performance.timeOrigin + meta.captureTime) / 1000;
    }
    if (typeof meta.rtpTimestamp !== 'number' || typeof meta.receiveTime !== 'number') return null;
    const rtp = meta.rtpTimestamp;
    if (this.lastRtp !== null && this.lastRtp - rtp > 2 ** 31) this.cycles++; // 32-bit wrap
    this.lastRtp = rtp;
    const media = (this.cycles * 2 ** 32 + rtp) / RTP_HZ;
    const offset = (performance.timeOrigin + meta.receiveTime) / 1000 - media;
    const best = this.offsets.length ? Math.min(...this.offsets) : offset;
    if (Math.abs(offset - best) > 10) this.reset(); // a new sender or a jump: start over
    this.offsets.push(offset);
    if (this.offsets.length > WINDOW_FRAMES) this.offsets.shift();
    return media + Math.min(...this.offsets);
  }
}

/**
 * HLS (hls.js): the fragment holding the picture's media time, stamped with
 * EXT-X-PROGRAM-DATE-TIME (the capture time of its first frame), plus the picture's offset in it.
 */
export function hlsFrameUtc(hls, mediaTime) {
  const level = hls.levels?.[hls.currentLevel >= 0 ? hls.currentLevel : 0];
  const fragments = level?.details?.fragments;
  if (!fragments?.length || typeof mediaTime !== 'number') return null;
  for (let i = fragments.length - 1; i >= 0; i--) {
    const frag = fragments[i];
    if (frag.start <= mediaTime + 0.001) {
      if (!Number.isFinite(frag.programDateTime) || mediaTime > frag.start + frag.duration + 0.1) return null;
      return frag.programDateTime / 1000 + (mediaTime - frag.start);
    }
  }
  return null;
}
