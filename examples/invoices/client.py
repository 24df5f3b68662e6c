#!/usr/bin/env python3
"""Posts N invoices to `tock serve` as one streamed NDJSON batch and follows it to its end.

Standard library only. The batch id is chosen here, so the client can subscribe to the
batch's server-sent events *before* posting it and miss none of them:

    GET  /api/v1/stream?batch=ID      (event: <type>, data: {job, status, batch, ...})
    POST /api/v1/batches?name=invoices.post_chunk&chunk_size=100&id=ID
         Content-Type: application/x-ndjson, one invoice per line, sent as it is made
    GET  /api/v1/batches/ID           (counts, progress, first errors)

Every 1000th invoice (numbers 500, 1500, ...) has a negative amount: the ledger refuses
it, and with it its whole chunk.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

TERMINAL = {"finished", "failed", "canceled", "stopped"}


def invoices(count):
    """The invoices as NDJSON lines, made one at a time (never all in memory)."""
    for number in range(1, count + 1):
        amount = -12.5 if number % 1000 == 500 else round(10 + (number * 37 % 9000) / 100, 2)
        line = {"invoice": number, "customer": "customer-%d" % (number % 977), "amount": amount}
        yield (json.dumps(line) + "\n").encode()


class Follower(threading.Thread):
    """Reads the batch's server-sent events; keeps each chunk's last status."""

    def __init__(self, host, port, batch):
        super().__init__(daemon=True)
        self.connection = http.client.HTTPConnection(host, port, timeout=600)
        self.connection.request("GET", "/api/v1/stream?batch=" + urllib.parse.quote(batch))
        self.response = self.connection.getresponse()  # subscribed once the headers are here
        if self.response.status != 200:
            raise SystemExit("stream: HTTP %d %s" % (self.response.status, self.response.read().decode()))
        self.statuses = {}
        self.lock = threading.Lock()
        self.changed = threading.Event()

    def run(self):
        data = []
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\r\n")
                if line.startswith("data:"):
                    data.append(line[5:].strip())
                elif line == "" and data:
                    event = json.loads("\n".join(data))
                    data = []
                    with self.lock:
                        self.statuses[event["job"]] = event["status"]
                    self.changed.set()
        except (OSError, ValueError):
            pass  # the stream ended; the main thread asks for the batch itself

    def ended(self):
        with self.lock:
            return sum(1 for status in self.statuses.values() if status in TERMINAL)


def request(host, port, method, path, body=None, headers=None):
    """One request; a generator body goes out chunked, each line as it is made."""
    connection = http.client.HTTPConnection(host, port, timeout=600)
    streamed = body is not None and not isinstance(body, bytes)
    connection.request(method, path, body=body, headers=headers or {}, encode_chunked=streamed)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), json.loads(payload) if payload else None


def bar(done, total, width=40):
    filled = int(width * done / total) if total else 0
    return "[%s%s] %3d%% %d/%d chunks" % ("#" * filled, "." * (width - filled), 100 * done // max(total, 1), done, total)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="tock serve's address")
    parser.add_argument("--count", type=int, default=10_000, help="invoices to post (default 10,000)")
    parser.add_argument("--chunk-size", type=int, default=100, help="invoices per chunk job")
    parser.add_argument("--job", default="invoices.post_chunk", help="the job each chunk runs")
    arguments = parser.parse_args()
    address = urllib.parse.urlsplit(arguments.url)
    host, port = address.hostname, address.port or 80
    batch = "invoices-" + uuid.uuid4().hex[:12]
    started = time.monotonic()

    follower = Follower(host, port, batch)
    follower.start()
    query = urllib.parse.urlencode({"name": arguments.job, "chunk_size": arguments.chunk_size, "id": batch})
    status, headers, body = request(
        host, port, "POST", "/api/v1/batches?" + query, body=invoices(arguments.count),
        headers={"Content-Type": "application/x-ndjson"})
    if status != 202:
        raise SystemExit("POST /api/v1/batches: HTTP %d %s" % (status, json.dumps(body)))
    total = body["total"]
    print("batch %s: %d invoices in %d chunks, accepted in %.1f s (Location: %s)"
          % (batch, arguments.count, total, time.monotonic() - started, headers.get("Location")), flush=True)

    shown_done = -1
    while True:
        follower.changed.wait(timeout=2)
        follower.changed.clear()
        done = follower.ended()
        if done != shown_done:
            sys.stdout.write("\r" + bar(done, total))
            sys.stdout.flush()
            shown_done = done
        if done >= total:
            break
        if not follower.is_alive():  # the stream broke: ask for the batch instead
            _, _, shown = request(host, port, "GET", "/api/v1/batches/" + batch)
            if shown["completed_at"] is not None:
                break
    sys.stdout.write("\n")

    _, _, shown = request(host, port, "GET", "/api/v1/batches/" + batch)
    elapsed = time.monotonic() - started
    size = arguments.chunk_size
    with follower.lock:
        failed_chunks = [job for job, status in follower.statuses.items() if status != "finished"]
    # Chunk k (ids end in -k) holds invoices (k-1)*size+1 ... k*size.
    failed = sum(min(int(job.rsplit("-", 1)[1]) * size, arguments.count) - (int(job.rsplit("-", 1)[1]) - 1) * size
                 for job in failed_chunks)
    for error in shown["errors"]:
        print("  failed chunk %s: %s" % (error["job"], error["error"]))
    print("summary: %d invoices posted, %d failed (%d of %d chunks), batch %s, %.1f s"
          % (arguments.count - failed, failed, shown["failed"], shown["total"], shown["status"], elapsed))
    return 0 if shown["completed_at"] is not None else 1


if __name__ == "__main__":
    sys.exit(main())
