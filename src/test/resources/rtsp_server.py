#!/usr/bin/python3
"""Test RTSP server: serves an mp4 file's H.264 as is (no re-encode) at rtsp://127.0.0.1:PORT/cam1.

usage: rtsp_server.py PORT FILE.mp4
Each client gets its own media, played in real time from the start of the file; at the end of the
file the stream ends (RTCP BYE) and a reconnecting client starts over. Prints "ready" once
listening; stops on SIGTERM or SIGINT.
"""
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    if len(sys.argv) != 3:
        print("usage: rtsp_server.py PORT FILE.mp4", file=sys.stderr)
        return 2
    port, path = sys.argv[1], sys.argv[2]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    # config-interval=-1: SPS/PPS before every keyframe, as cameras send them
    factory.set_launch(
        '( filesrc location="%s" ! qtdemux ! h264parse ! '
        "rtph264pay name=pay0 pt=96 config-interval=-1 )" % path.replace('"', '\\"')
    )
    factory.set_shared(False)
    server.get_mount_points().add_factory("/cam1", factory)
    if server.attach(None) == 0:
        print("cannot listen on 127.0.0.1:%s" % port, file=sys.stderr)
        return 1
    main_loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, main_loop.quit)
    print("ready", flush=True)
    main_loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
