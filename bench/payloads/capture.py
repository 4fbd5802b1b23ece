#!/usr/bin/env python3
"""Captures the 10-alert webhook payload from a real Alertmanager (Debian's prometheus-alertmanager 0.25).

Starts Alertmanager on 127.0.0.1 with a webhook receiver pointing at a tiny capture server, posts ten firing
alerts of one group (Korean summaries, HTML characters in descriptions) to /api/v2/alerts, and writes the body
Alertmanager sends, byte for byte, to firing-10.json. Run once; the result is checked in.

    python3 bench/payloads/capture.py
"""
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    captured = []
    done = threading.Event()

    class Capture(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            captured.append(body)
            self.send_response(200)
            self.end_headers()
            done.set()

        def log_message(self, *args):
            pass

    capture_port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", capture_port), Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    am_port = free_port()
    work = tempfile.mkdtemp(prefix="capture-am-")
    config = os.path.join(work, "alertmanager.yml")
    with open(config, "w") as f:
        f.write(f"""route:
  receiver: relay
  group_by: ['alertname', 'job']
  group_wait: 2s
  group_interval: 5m
  repeat_interval: 1h
receivers:
  - name: relay
    webhook_configs:
      - url: http://127.0.0.1:{capture_port}/webhook
        send_resolved: true
""")
    am = subprocess.Popen(["prometheus-alertmanager", f"--config.file={config}", f"--storage.path={work}/data",
                           f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address=",
                           "--web.external-url=http://alertmanager.example:9093"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{am_port}/-/ready", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        alerts = []
        for i in range(10):
            alerts.append({
                "labels": {"alertname": "NodeDiskFillingUp", "job": "node-exporter", "severity": "warning",
                           "team": "platform", "instance": f"node-{i:02d}.prod.example:9100",
                           "device": "/dev/nvme0n1p1", "mountpoint": "/var/lib/data"},
                "annotations": {
                    "summary": f"디스크가 24시간 안에 가득 찰 예정입니다 (node-{i:02d})",
                    "description": f"/var/lib/data 사용률 {80 + i}% > 80% & 증가 추세 <predict_linear> — "
                                   f"남은 공간 {20 - i} GiB, 예상 소진까지 {24 - i}시간",
                    "runbook_url": "https://runbooks.example.com/NodeDiskFillingUp"},
                "startsAt": f"2026-11-25T17:{10 + i:02d}:00.123456789+09:00",
                "generatorURL": "http://prometheus.example:9090/graph?g0.expr=predict_linear%28node_filesystem_avail_bytes%5B6h%5D%2C+86400%29+%3C+0",
            })
        req = urllib.request.Request(f"http://127.0.0.1:{am_port}/api/v2/alerts", data=json.dumps(alerts).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(req, timeout=5)
        if not done.wait(30):
            sys.exit("Alertmanager sent nothing within 30 s")
        out = os.path.join(HERE, "firing-10.json")
        with open(out, "wb") as f:
            f.write(captured[0])
        print(f"wrote {out}: {len(captured[0])} bytes, {len(json.loads(captured[0])['alerts'])} alerts")
    finally:
        am.terminate()
        am.wait(10)
        server.shutdown()


if __name__ == "__main__":
    main()
