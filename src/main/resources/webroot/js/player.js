// Plays one camera: WebRTC (WHEP) when offered and it connects, else HLS (hls.js, or native HLS).
// Also tells the UTC time of the picture on screen, which the overlay needs.

const NTP_EPOCH_OFFSET_MS = 2208988800000; // 1900-01-01 to 1970-01-01
const RETRY_MS = 3000;
// Close to live: play 3 segments (3 s with the embedded 1 s segments) behind the live edge, speed
// up (<= 1.5x) when drifting behind, jump back there when more than 6 segments behind (e.g. after
// the tab was hidden). 2 segments is ~1 s closer but starves on a busy machine: a segment is only
// seen up to one playlist reload after it ends. A stall makes hls.js add up to 1 segment itself.
export const HLS_CONFIG = {
  liveSyncDurationCount: 3,
  liveMaxLatencyDurationCount: 6,
  maxLiveSyncPlaybackRate: 1.5,
  lowLatencyMode: true, // no LL-HLS parts here; hls.js only adapts the playback rate in this mode
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
    this.frameUtc = null;
    this.rtcClock = null;
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
        this.onStatus(`WebRTC unavailable (${e.message}); using HLS`);
      }
    }
    this.playHls(camera.hls_url);
  }

  stop() {
    clearTimeout(this.retry);
    this.retry = null;
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
    this.stopWhep();
    this.native = false;
    this.mode = 'none';
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
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      this.native = true;
      this.mode = 'native HLS';
      video.src = url;
      video.play().catch(() => this.onStatus('Press play to start the video'));
    } else {
      this.onStatus('This browser can play neither HLS nor WebRTC');
    }
  }

  async playWhep(url) {
    const pc = new RTCPeerConnection();
    this.pc = pc;
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
    this.frameUtc = null;
    this.rtcClock = null;
  }

  // Chromium reports, per WebRTC frame, the capture time on the sender's clock (RTCP sender reports).
  watchFrames() {
    const video = this.video;
    if (typeof video.requestVideoFrameCallback !== 'function') return;
    const onFrame = (now, meta) => {
      if (!this.pc) return;
      if (typeof meta.captureTime === 'number') {
        this.frameUtc = { utc: (performance.timeOrigin + meta.captureTime) / 1000, at: performance.now() };
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

  /** UTC seconds of the picture on screen, or null when the stream carries no clock. */
  videoUtc() {
    if (this.hls) {
      const date = this.hls.playingDate;
      return date ? date.getTime() / 1000 : null;
    }
    if (this.native && typeof this.video.getStartDate === 'function') {
      const start = this.video.getStartDate().getTime();
      return Number.isFinite(start) ? start / 1000 + this.video.currentTime : null;
    }
    const clock = this.frameUtc ?? this.rtcClock;
    if (this.pc && clock) {
      return clock.utc + (this.video.paused ? 0 : (performance.now() - clock.at) / 1000);
    }
    return null;
  }

  /** The player's own estimate of how far it plays behind live, in seconds (null if unknown). */
  latency() {
    if (this.hls && Number.isFinite(this.hls.latency)) return this.hls.latency;
    if (this.pc) return 0.3;
    return null;
  }
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
