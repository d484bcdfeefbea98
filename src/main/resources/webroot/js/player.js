// Plays one camera: WebRTC (WHEP) when offered and it connects, else HLS (hls.js, or native HLS).
// Also tells the UTC time of the picture on screen, which the overlay needs.

import { RtpClock, hlsFrameUtc } from './frame-clock.js';

const NTP_EPOCH_OFFSET_MS = 2208988800000; // 1900-01-01 to 1970-01-01
const RETRY_MS = 3000;
// WebRTC plays faster than the analysis (decode, inference, tracking, WebSocket): the picture is
// held back until its detections have arrived, plus this lead so they bracket it.
const METADATA_LEAD_S = 0.1;
const MAX_HOLD_S = 4; // the most jitterBufferTarget takes
// Close to live: start as far behind the live edge as the playlist's HOLD-BACK says (the embedded
// HLS asks two 0.5 s segments; without one, hls.js plays 3 target durations behind). No
// liveSyncDuration here: hls.js would let it override the HOLD-BACK. hls.js's own catch-up is off
// (rate 1): after a stall it aims a whole target duration further back for good, and speeds up only
// with over 1 s buffered; keepLive() below catches up to the HOLD-BACK instead.
const CATCH_UP_RATE = 1.25;
export const HLS_CONFIG = {
  maxLiveSyncPlaybackRate: 1,
  lowLatencyMode: true,
  manifestLoadingMaxRetry: 2,
  backBufferLength: 30,
};

export class Player {
  constructor(video, onStatus) {
    this.video = video;
    this.onStatus = onStatus;
    this.hls = null;
    this.pc = null;
    this.native = false;
    this.retry = null;
    this.rtcClock = null;
    this.rtpClock = new RtpClock();
    this.presented = null; // {utc, at, mediaTime, rtpTimestamp} of the picture on screen
    this.frameWatch = null;
    this.leads = [];
    this.holdS = 0; // how long WebRTC pictures are held back for their metadata
    this.mode = 'none';
  }

  async play(camera) {
    this.stop();
    this.camera = camera;
    if (camera.whep_url && window.RTCPeerConnection) {
      try {
        await this.playWhep(camera.whep_url);
        return;
      } catch (e) {
        this.stopWhep();
        console.warn(`WebRTC unavailable: ${e.message}`);
        this.onStatus(`WebRTC unavailable (${e.message}); using HLS`);
      }
    }
    this.playHls(camera.hls_url);
  }

  stop() {
    clearTimeout(this.retry);
    this.retry = null;
    clearInterval(this.liveTimer);
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
    this.stopWhep();
    this.native = false;
    this.mode = 'none';
    this.frameWatch = null;
    this.presented = null;
    this.video.removeAttribute('src');
    this.video.srcObject = null;
  }

  playHls(url) {
    const video = this.video;
    if (!url) {
      this.onStatus('No video URL for this camera');
      return;
    }
    if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls(HLS_CONFIG);
      this.hls = hls;
      this.mode = 'hls.js';
      hls.on(window.Hls.Events.MANIFEST_PARSED, () => {
        this.onStatus(null);
        video.play().catch(() => this.onStatus('Press play to start the video'));
      });
      hls.on(window.Hls.Events.ERROR, (event, data) => {
        if (!data.fatal) return;
        if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
          return;
        }
        this.onStatus(`Waiting for video (${data.details})`);
        hls.destroy();
        this.hls = null;
        this.retry = setTimeout(() => this.playHls(url), RETRY_MS);
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      this.watchFrames();
      clearInterval(this.liveTimer);
      this.liveTimer = setInterval(() => this.keepLive(), 500);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      this.native = true;
      this.mode = 'native HLS';
      video.src = url;
      video.play().catch(() => this.onStatus('Press play to start the video'));
    } else {
      this.onStatus('This browser can play neither HLS nor WebRTC');
    }
  }

  // Plays a little faster while further behind the live edge than the playlist's HOLD-BACK (after
  // a stall, a slow segment), as long as something is buffered ahead.
  keepLive() {
    const hls = this.hls;
    const video = this.video;
    const details = hls?.levels?.[hls.currentLevel >= 0 ? hls.currentLevel : 0]?.details;
    if (!details?.live || video.paused || !Number.isFinite(hls.latency)) return;
    const target = details.holdBack || 3 * details.targetduration;
    const ahead = bufferedAhead(video);
    const behind = hls.latency - target;
    if (behind > 0.25 && ahead > 0.3) video.playbackRate = CATCH_UP_RATE;
    else if (behind < 0.05 || ahead < 0.2) video.playbackRate = 1;
  }

  async playWhep(url) {
    const pc = new RTCPeerConnection();
    this.pc = pc;
    this.rtpClock.reset();
    this.leads = [];
    this.holdS = 0;
    // a session that dies later (server gone, network lost) falls back to HLS like a failed start
    pc.addEventListener('connectionstatechange', () => {
      if (this.pc !== pc || pc.connectionState !== 'failed' || this.mode !== 'WebRTC') return;
      this.stopWhep();
      this.onStatus('WebRTC connection lost; using HLS');
      this.playHls(this.camera.hls_url);
    });
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const stream = new MediaStream();
    pc.ontrack = (event) => {
      stream.addTrack(event.track);
      this.video.srcObject = stream;
    };
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc, 2000);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: pc.localDescription.sdp,
    });
    if (!response.ok) throw new Error(`WHEP answered ${response.status}`);
    this.whepResource = response.headers.get('Location');
    await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    await until(() => this.video.readyState >= 2, 6000, 'no video within 6 s');
    this.mode = 'WebRTC';
    this.video.play().catch(() => {});
    this.watchFrames();
    this.statsTimer = setInterval(() => this.readPlayout(), 1000);
  }

  stopWhep() {
    clearInterval(this.statsTimer);
    if (this.pc) {
      this.pc.close();
      this.pc = null;
    }
    if (this.whepResource && this.camera?.whep_url) {
      // ends the session on the media server instead of waiting for its timeout
      fetch(new URL(this.whepResource, new URL(this.camera.whep_url, location.href)), { method: 'DELETE' }).catch(() => {});
    }
    this.whepResource = null;
    this.rtcClock = null;
    this.presented = null;
  }

  // The capture time of every picture presented (requestVideoFrameCallback), for WebRTC and HLS.
  watchFrames() {
    const video = this.video;
    if (typeof video.requestVideoFrameCallback !== 'function') return;
    const watch = {};
    this.frameWatch = watch;
    const onFrame = (now, meta) => {
      if (this.frameWatch !== watch) return;
      const utc = this.pc ? this.rtpClock.utc(meta) : this.hls ? hlsFrameUtc(this.hls, meta.mediaTime) : null;
      if (utc !== null) {
        this.presented = { utc, at: performance.now(), mediaTime: meta.mediaTime, rtpTimestamp: meta.rtpTimestamp ?? null };
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }

  async readPlayout() {
    if (!this.pc) return;
    const stats = await this.pc.getStats();
    stats.forEach((report) => {
      if (report.type === 'inbound-rtp' && report.kind === 'video' && report.estimatedPlayoutTimestamp) {
        this.rtcClock = { utc: (report.estimatedPlayoutTimestamp - NTP_EPOCH_OFFSET_MS) / 1000, at: performance.now() };
      }
    });
  }

  /**
   * Called with the newest metadata's capture time (4 times a second): over WebRTC, steers the
   * receiver's jitter buffer so the picture on screen trails the newest metadata by about
   * METADATA_LEAD_S; then every picture is drawn with its own detections.
   */
  alignToMetadata(newestUtc) {
    const receiver = this.pc?.getReceivers().find((r) => r.track?.kind === 'video');
    if (!receiver || !this.presented || this.mode !== 'WebRTC') return;
    this.leads.push(newestUtc - this.presented.utc);
    if (this.leads.length < 8) return; // 2 s of samples: their minimum is the worst case
    const lead = Math.min(...this.leads);
    this.leads = [];
    if (lead >= METADATA_LEAD_S && lead <= METADATA_LEAD_S + 0.2) return;
    this.holdS = Math.max(0, Math.min(MAX_HOLD_S, this.holdS + METADATA_LEAD_S - lead));
    if ('jitterBufferTarget' in receiver) receiver.jitterBufferTarget = Math.round(this.holdS * 1000);
    else receiver.playoutDelayHint = this.holdS;
  }

  /** UTC seconds of the picture on screen, or null when the stream carries no clock. */
  videoUtc() {
    // the presented picture's own time: it stays on screen (and right) until the next one
    if (this.presented) return this.presented.utc;
    if (this.hls) {
      const date = this.hls.playingDate;
      return date ? date.getTime() / 1000 : null;
    }
    if (this.native && typeof this.video.getStartDate === 'function') {
      const start = this.video.getStartDate().getTime();
      return Number.isFinite(start) ? start / 1000 + this.video.currentTime : null;
    }
    const clock = this.rtcClock;
    if (this.pc && clock) {
      return clock.utc + (this.video.paused ? 0 : (performance.now() - clock.at) / 1000);
    }
    return null;
  }

  /** The player's own estimate of how far it plays behind live, in seconds (null if unknown). */
  latency() {
    if (this.hls && Number.isFinite(this.hls.latency)) return this.hls.latency;
    if (this.pc) return this.presented ? Date.now() / 1000 - this.presented.utc : 0.3;
    return null;
  }
}

function bufferedAhead(video) {
  const t = video.currentTime;
  for (let i = 0; i < video.buffered.length; i++) {
    if (video.buffered.start(i) <= t + 0.05 && t < video.buffered.end(i)) return video.buffered.end(i) - t;
  }
  return 0;
}

function gathered(pc, timeoutMs) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (pc.iceGatheringState === 'complete') resolve();
    };
    pc.addEventListener('icegatheringstatechange', done);
    setTimeout(resolve, timeoutMs);
  });
}

function until(condition, timeoutMs, message) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const tick = () => {
      if (condition()) resolve();
      else if (performance.now() - started > timeoutMs) reject(new Error(message));
      else setTimeout(tick, 100);
    };
    tick();
  });
}
