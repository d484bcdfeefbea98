#!/usr/bin/python3
"""Test camera that stands in for MediaMTX: one live stream served over RTSP and WebRTC (WHEP).

usage: webrtc_camera.py RTSP_PORT HTTP_PORT FILE.mp4

The file is played in real time and looped, re-encoded once (640x360 H.264 constrained baseline,
a keyframe every 0.5 s, no B-frames: what WebRTC players accept) and fanned out, each access unit
pushed to every reader at the same instant, so RTSP and WebRTC readers see the same frame with the
same sender clock (RTCP sender reports from this host's real-time clock):
  rtsp://127.0.0.1:RTSP_PORT/cam1        (shared media, as MediaMTX serves a path)
  POST http://127.0.0.1:HTTP_PORT/cam1/whep   SDP offer in, 201 + Location + SDP answer out
                                              (non-trickle: ICE gathered before answering)
  DELETE http://127.0.0.1:HTTP_PORT/cam1/whep/<session>   ends the session
  GET http://127.0.0.1:HTTP_PORT/cam1/whep/<session>      {"utc_at_rtp_zero": s}: the sender clock,
        capture UTC = utc_at_rtp_zero + RTP timestamp / 90000 (the truth for alignment tests)
  POST http://127.0.0.1:HTTP_PORT/fail   makes every later WHEP offer fail with 503 (fallback tests)
Prints "ready" once both listen; stops on SIGTERM or SIGINT.
"""
import random
import re
import signal
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstRtspServer, GstSdp, GstWebRTC  # noqa: E402

WIDTH, HEIGHT = 640, 360
H264_CAPS = "video/x-h264,stream-format=byte-stream,alignment=au"
READER = (
    "appsrc name=src is-live=true do-timestamp=true format=time min-latency=0 caps=%s"
    " ! h264parse ! rtph264pay config-interval=-1 aggregate-mode=zero-latency" % H264_CAPS
)


class Fanout:
    """The live access units, pushed to every reader's appsrc, each reader from a keyframe on."""

    def __init__(self):
        self.lock = threading.Lock()
        self.readers = {}  # appsrc -> started at a keyframe

    def add(self, appsrc):
        with self.lock:
            self.readers[appsrc] = False

    def remove(self, appsrc):
        with self.lock:
            self.readers.pop(appsrc, None)

    def push(self, sink):
        sample = sink.emit("pull-sample")
        if sample is None:
            return Gst.FlowReturn.EOS
        buf = sample.get_buffer()
        key = not buf.has_flags(Gst.BufferFlags.DELTA_UNIT)
        with self.lock:
            readers = list(self.readers.items())
        for appsrc, started in readers:
            if not started and (not key or appsrc.current_state != Gst.State.PLAYING):
                continue  # from a keyframe, and once playing: earlier pushes get no clock time
            if not started:
                with self.lock:
                    if appsrc in self.readers:
                        self.readers[appsrc] = True
            out = Gst.Buffer.new_wrapped(buf.extract_dup(0, buf.get_size()))
            if not key:
                out.set_flags(Gst.BufferFlags.DELTA_UNIT)
            appsrc.emit("push-buffer", out)
        return Gst.FlowReturn.OK


def source(path, fanout):
    pipeline = Gst.parse_launch(
        'filesrc location="%s" ! qtdemux ! h264parse ! avdec_h264 ! videoconvert ! videoscale'
        " ! video/x-raw,format=I420,width=%d,height=%d"
        " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bitrate=1200"
        " ! video/x-h264,profile=constrained-baseline ! h264parse config-interval=-1 ! %s"
        " ! appsink name=out emit-signals=true sync=true max-buffers=4"
        % (path.replace('"', '\\"'), WIDTH, HEIGHT, H264_CAPS)
    )
    pipeline.get_by_name("out").connect("new-sample", fanout.push)

    def on_message(_bus, message):
        if message.type == Gst.MessageType.EOS:  # loop: start the file over
            pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT, 0)
        elif message.type == Gst.MessageType.ERROR:
            print("source error: %s" % message.parse_error()[0].message, flush=True)
        return True

    bus = pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect("message", on_message)
    return pipeline


class WhepSessions:
    """One webrtcbin pipeline per WHEP session."""

    def __init__(self, fanout):
        self.fanout = fanout
        self.lock = threading.Lock()
        self.sessions = {}
        self.failing = False

    def answer(self, offer_text):
        ok, offer_sdp = GstSdp.SDPMessage.new_from_text(offer_text)
        if ok != GstSdp.SDPResult.OK:
            raise ValueError("not an SDP offer")
        pt = h264_payload(offer_text)
        ssrc = random.randint(1, 2**31)
        # the answer's fmtp and a=ssrc come from these caps: without the profile the browser drops
        # the payload type, without the ssrc it cannot route the packets to the track (x264's
        # constrained baseline at 640x360 is 42c01e)
        pipeline = Gst.parse_launch(
            READER + " ssrc=%d timestamp-offset=0 ! application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,"
            "payload=%d,ssrc=(uint)%d,packetization-mode=(string)1,profile-level-id=(string)42c01e"
            " ! webrtcbin name=w bundle-policy=max-bundle" % (ssrc, pt, ssrc)
        )
        webrtc = pipeline.get_by_name("w")
        gathered = threading.Event()

        def on_gathering(element, _pspec):
            if element.get_property("ice-gathering-state") == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
                gathered.set()

        webrtc.connect("notify::ice-gathering-state", on_gathering)
        pipeline.set_state(Gst.State.PLAYING)
        offer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.OFFER, offer_sdp)
        promise = Gst.Promise.new()
        webrtc.emit("set-remote-description", offer, promise)
        promise.wait()
        promise = Gst.Promise.new()
        webrtc.emit("create-answer", None, promise)
        promise.wait()
        reply = promise.get_reply()
        answer = reply.get_value("answer") if reply is not None else None
        if answer is None:
            pipeline.set_state(Gst.State.NULL)
            raise ValueError("webrtcbin made no answer: %s" % (reply.to_string() if reply else "none"))
        promise = Gst.Promise.new()
        webrtc.emit("set-local-description", answer, promise)
        promise.wait()
        # short RTCP intervals: the player knows the sender clock within a second, not 5 s
        rtpbin = webrtc.get_by_name("rtpbin")
        if rtpbin is not None:
            session = rtpbin.emit("get-session", 0)
            if session is not None:
                session.set_property("rtcp-min-interval", 500 * Gst.MSECOND)
        if not gathered.wait(10):
            pipeline.set_state(Gst.State.NULL)
            raise ValueError("ICE gathering did not complete")
        self.fanout.add(pipeline.get_by_name("src"))
        session_id = uuid.uuid4().hex
        with self.lock:
            self.sessions[session_id] = pipeline
        return session_id, webrtc.get_property("local-description").sdp.as_text()

    def clock(self, session_id):
        """UTC seconds at RTP timestamp 0: the payloader counts running time from 0 at 90 kHz."""
        with self.lock:
            pipeline = self.sessions.get(session_id)
        if pipeline is None:
            return None
        clock = pipeline.get_clock()
        if clock is None:
            return None
        running = (clock.get_time() - pipeline.get_base_time()) / Gst.SECOND
        return time.time() - running

    def close(self, session_id):
        with self.lock:
            pipeline = self.sessions.pop(session_id, None)
        if pipeline is None:
            return False
        self.fanout.remove(pipeline.get_by_name("src"))
        pipeline.set_state(Gst.State.NULL)
        return True


def h264_payload(offer):
    """The offer's H.264 payload type for constrained baseline in packetization mode 1."""
    for pt in re.findall(r"a=rtpmap:(\d+) H264/90000", offer):
        fmtp = re.search(r"a=fmtp:%s ([^\r\n]*)" % pt, offer)
        params = fmtp.group(1) if fmtp else ""
        if "packetization-mode=1" in params and re.search(r"profile-level-id=42[ec]0", params):
            return int(pt)
    raise ValueError("the offer has no constrained-baseline H.264 in packetization mode 1")


def handler(sessions):
    class Whep(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            if self.path == "/fail":
                sessions.failing = True
                return self.reply(204, "")
            if not re.fullmatch(r"/[A-Za-z0-9_-]+/whep", self.path):
                return self.reply(404, "no such path")
            if sessions.failing:
                return self.reply(503, "WHEP is failing on purpose")
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/sdp":
                return self.reply(415, "send application/sdp")
            try:
                session_id, answer = sessions.answer(body)
            except ValueError as e:
                return self.reply(400, str(e))
            self.reply(201, answer, "application/sdp", self.path + "/" + session_id)

        def do_GET(self):
            utc = sessions.clock(self.path.rsplit("/", 1)[-1])
            if utc is None:
                return self.reply(404, "no such session")
            self.reply(200, '{"utc_at_rtp_zero": %.6f}' % utc, "application/json")

        def do_DELETE(self):
            found = sessions.close(self.path.rsplit("/", 1)[-1])
            self.reply(200 if found else 404, "")

        def do_OPTIONS(self):
            self.reply(204, "")

        def reply(self, status, text, content_type="text/plain", location=None):
            data = text.encode()
            self.send_response(status)
            # the page is served by StopSign on another port: CORS as MediaMTX answers it
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Access-Control-Expose-Headers", "Location")
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Whep


def main():
    if len(sys.argv) != 4:
        print("usage: webrtc_camera.py RTSP_PORT HTTP_PORT FILE.mp4", file=sys.stderr)
        return 2
    rtsp_port, http_port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    Gst.init(None)
    fanout = Fanout()
    camera = source(path, fanout)

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(rtsp_port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch("( %s name=pay0 pt=96 )" % READER)
    factory.set_shared(True)

    def on_media(_factory, media):
        appsrc = media.get_element().get_by_name("src")
        fanout.add(appsrc)
        media.connect("unprepared", lambda _m: fanout.remove(appsrc))

    factory.connect("media-configure", on_media)
    server.get_mount_points().add_factory("/cam1", factory)
    if server.attach(None) == 0:
        print("cannot listen on 127.0.0.1:%s" % rtsp_port, file=sys.stderr)
        return 1
    sessions = WhepSessions(fanout)
    http = ThreadingHTTPServer(("127.0.0.1", http_port), handler(sessions))
    threading.Thread(target=http.serve_forever, daemon=True).start()
    camera.set_state(Gst.State.PLAYING)

    main_loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, main_loop.quit)
    print("ready", flush=True)
    main_loop.run()
    http.shutdown()
    camera.set_state(Gst.State.NULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
