// The metadata WebSocket: reconnects with backoff, reports its state, hands parsed messages on.

export class LiveSocket {
  constructor(onMessage, onState) {
    this.onMessage = onMessage;
    this.onState = onState;
    this.cameras = [];
    this.socket = null;
    this.backoffMs = 1000;
    this.timer = null;
  }

  /** Follows these cameras (empty = all); reconnects if the filter changed. */
  follow(cameras) {
    const same = cameras.length === this.cameras.length && cameras.every((c, i) => c === this.cameras[i]);
    this.cameras = [...cameras];
    if (same && this.socket) return;
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'subscribe', cameras: this.cameras }));
      return;
    }
    this.connect();
  }

  connect() {
    clearTimeout(this.timer);
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close();
    }
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.cameras.forEach((c) => url.searchParams.append('camera', c));
    // the token cookie travels with the handshake; an explicit ?access_token= on the page is passed on
    const token = new URLSearchParams(location.search).get('access_token');
    if (token) url.searchParams.set('access_token', token);
    this.onState('connecting');
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.backoffMs = 1000;
      this.onState('open');
    };
    socket.onmessage = (event) => {
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      this.onMessage(msg);
    };
    socket.onclose = (event) => {
      this.onState(event.code === 1008 ? 'refused' : 'closed');
      this.timer = setTimeout(() => this.connect(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 15000);
    };
  }
}
