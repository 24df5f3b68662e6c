"""The dashboard in a real browser: Debian's chromium driven by Playwright.

Run by Tests/TockCLITests/DashboardBrowserTests.swift against a `tock serve` it started:

    python dashboard_test.py --base http://127.0.0.1:PORT --tock .build/debug/tock \
        --backend sqlite:/tmp/x/tock.db --workdir /tmp/x [--server-pid PID --listen 127.0.0.1:PORT]

Each check prints `ok: ...`; the first that fails raises, and the exit status is 1.
"""

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import expect, sync_playwright

XSS_NAME = "<script>alert(1)</script>"
XSS_ERROR = '<img src=x onerror="window.__xss = 1">'


class Dashboard:
    def __init__(self, options, browser):
        self.options = options
        self.browser = browser
        self.problems = []
        self.navigating = False
        self.restarted = None

    # --- The API and the worker, as a user would drive them ---------------------------

    def api(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.options.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return json.loads(text) if text else None

    def enqueue(self, name, args=None, **fields):
        return self.api("POST", "/api/v1/jobs", {"name": name, "args": args or [], **fields})["id"]

    def worker_command(self):
        return [self.options.tock, "worker", "--burst", "--backend", self.options.backend]

    def run_worker(self):
        """`tock worker --burst` to its end: runs every queued job, then exits."""
        subprocess.run(self.worker_command(), cwd=self.options.workdir, check=True, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start_worker(self):
        return subprocess.Popen(self.worker_command(), cwd=self.options.workdir,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # --- Pages -------------------------------------------------------------------------

    def page(self, width=1280, scheme="light", zone="UTC"):
        """A new page that records console errors, failed requests and dialogs."""
        context = self.browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme, timezone_id=zone, locale="en-GB")
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and self.problems.append(f"console error: {message.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: self._request_failed(request))
        page.on("response", lambda response: response.status >= 400
                and self.problems.append(f"HTTP {response.status} for {response.url}"))
        page.on("dialog", lambda dialog: (self.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        return page

    def _request_failed(self, request):
        # What the page had in flight when the test navigates away (its event stream, a
        # catch-up read, the icon) is aborted by the browser: not a failure of the page.
        if request.failure == "net::ERR_ABORTED" and ("/api/v1/stream" in request.url or self.navigating):
            return
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def open(self, page, path):
        self.navigating = True
        page.goto(self.options.base + path)
        self.navigating = False
        expect(page.locator("#live")).to_have_attribute("data-state", "live", timeout=10_000)
        # A marker that survives only as long as the document: no reload happened.
        page.evaluate("window.__sameDocument = true")

    def assert_same_document(self, page):
        assert page.evaluate("window.__sameDocument === true"), "the page reloaded"

    def assert_clean(self, what):
        problems, self.problems = self.problems, []
        assert not problems, f"{what}: " + "; ".join(problems)

    # --- Checks ------------------------------------------------------------------------

    def every_page_loads(self, job_id):
        pages = ["/", "/jobs", "/jobs?status=failed", f"/jobs/{job_id}", "/workers", "/queues"]
        for width in (1280, 390):
            for scheme in ("light", "dark"):
                page = self.page(width, scheme)
                for path in pages:
                    self.open(page, path)
                    expect(page.locator("h1")).to_be_visible()
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 0, f"{path} at {width} px is {overflow} px wider than the window"
                page.context.close()
                self.assert_clean(f"pages at {width} px, {scheme}")
        print("ok: every page loads at 1280 and 390 px, light and dark, with no console error or failed request")

    def times_are_local_with_utc_title(self, job_id):
        page = self.page(zone="Asia/Kolkata")  # UTC+05:30 all year
        self.open(page, f"/jobs/{job_id}")
        stamp = page.locator('[data-field="enqueued_at"] time')
        title = stamp.get_attribute("title")
        utc = datetime.datetime.fromisoformat(stamp.get_attribute("datetime").replace("Z", "+00:00"))
        assert title == utc.strftime("%Y-%m-%d %H:%M:%S UTC"), f"the time's title is {title!r}"
        local = (utc + datetime.timedelta(hours=5, minutes=30)).strftime("%H:%M:%S")
        assert local in stamp.text_content(), f"{stamp.text_content()!r} is not {local} (Asia/Kolkata)"
        page.context.close()
        self.assert_clean("times")
        print("ok: timestamps in the browser's zone, UTC in the title")

    def job_appears_and_finishes_live(self):
        page = self.page()
        self.open(page, "/jobs")
        job_id = self.enqueue("tock.noop")
        row = page.locator(f'tr[data-job="{job_id}"]')
        expect(row).to_be_visible(timeout=10_000)
        expect(row.locator('[data-field="status"]')).to_have_text("queued")
        self.run_worker()
        expect(row.locator('[data-field="status"]')).to_have_text("finished", timeout=10_000)
        expect(row.locator('[data-field="duration"]')).not_to_have_text("—")
        self.assert_same_document(page)
        page.context.close()
        self.assert_clean("live jobs list")
        print("ok: an enqueued job appears on the jobs page and turns finished without a reload")

    def overview_counts_live(self):
        page = self.page()
        self.open(page, "/")
        finished = page.locator('tr[data-queue="default"] [data-count="finished"]')
        before = int(finished.text_content())
        self.enqueue("tock.noop")
        self.run_worker()
        expect(finished).to_have_text(str(before + 1), timeout=10_000)
        self.assert_same_document(page)
        page.context.close()
        self.assert_clean("overview")
        print("ok: the overview's counts follow the stream")

    def progress_bar_moves(self):
        job_id = self.enqueue("tock.sleep", [3])
        page = self.page()
        self.open(page, f"/jobs/{job_id}")
        progress = page.locator("#progress")
        assert progress.evaluate("element => element.value") == 0
        worker = self.start_worker()
        try:
            seen = set()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                value = progress.evaluate("element => element.value")
                if 0 < value < 100:
                    seen.add(value)
                if value == 100 and page.locator('main [data-field="status"]').text_content() == "finished":
                    break
                time.sleep(0.1)
            assert len(seen) >= 3, f"the progress bar showed {sorted(seen)} between 0 and 100"
            expect(page.locator('main [data-field="status"]')).to_have_text("finished", timeout=10_000)
            expect(page.locator("#progress-message")).to_contain_text("slept")
            assert worker.wait(timeout=30) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
        self.assert_same_document(page)
        page.context.close()
        self.assert_clean("progress")
        print(f"ok: a tock.sleep job's progress bar moved through {len(seen)} values to 100 without a reload")

    def failure_and_requeue(self):
        job_id = self.enqueue("tock.fail", ["boom: the disk is full\nsecond line"])
        self.run_worker()
        first = self.api("GET", f"/api/v1/jobs/{job_id}")
        assert first["status"] == "failed", first
        page = self.page()
        self.open(page, f"/jobs?status=failed")
        row = page.locator(f'tr[data-job="{job_id}"]')
        expect(row.locator('[data-field="error"]')).to_have_text("boom: the disk is full")
        # To the detail page and its requeue button, by keyboard alone.
        row.locator("a").focus()
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text("Job tock.fail")
        expect(page.locator("#live")).to_have_attribute("data-state", "live", timeout=10_000)
        page.evaluate("window.__sameDocument = true")
        expect(page.locator('pre[data-field="error"]')).to_contain_text("boom: the disk is full\nsecond line")
        expect(page.locator('button[data-action="cancel"]')).to_be_hidden()
        requeue = page.locator('button[data-action="requeue"]')
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.dataset.action") == "requeue":
                break
        assert page.evaluate("document.activeElement.dataset.action") == "requeue", "Tab never reached Requeue"
        page.keyboard.press("Enter")
        expect(page.locator('main [data-field="status"]')).to_have_text("queued", timeout=10_000)
        expect(page.locator("#action-result")).to_have_text("Requeued.")
        expect(requeue).to_be_hidden()
        self.run_worker()
        expect(page.locator('main [data-field="status"]')).to_have_text("failed", timeout=10_000)
        expect(requeue).to_be_visible()
        second = self.api("GET", f"/api/v1/jobs/{job_id}")
        assert second["status"] == "failed" and second["ended_at"] > first["ended_at"], (first, second)
        self.assert_same_document(page)
        page.context.close()
        self.assert_clean("failure and requeue")
        print("ok: a failing job shows its error; requeue from the detail page (by keyboard) ran it again")

    def escaping(self):
        page = self.page()
        self.open(page, "/jobs")
        # Added live, through the script (textContent).
        live_id = self.enqueue(XSS_NAME, [XSS_NAME], kwargs={"html": XSS_ERROR})
        live_row = page.locator(f'tr[data-job="{live_id}"]')
        expect(live_row.locator('[data-field="name"]')).to_have_text(XSS_NAME, timeout=10_000)
        failing_id = self.enqueue("tock.fail", [XSS_ERROR])
        self.run_worker()  # also fails the unknown name
        failing_row = page.locator(f'tr[data-job="{failing_id}"]')
        expect(failing_row.locator('[data-field="error"]')).to_have_text(XSS_ERROR, timeout=10_000)
        # Rendered by the server.
        self.open(page, "/jobs")
        expect(page.locator(f'tr[data-job="{live_id}"] [data-field="name"]')).to_have_text(XSS_NAME)
        expect(page.locator(f'tr[data-job="{failing_id}"] [data-field="error"]')).to_have_text(XSS_ERROR)
        self.open(page, f"/jobs/{live_id}")
        expect(page.locator("h1")).to_have_text(f"Job {XSS_NAME}")
        expect(page.locator("main")).to_contain_text('"html": "<img src=x onerror=\\"window.__xss = 1\\">"')
        self.open(page, "/")
        expect(page.locator(f'tr[data-job="{failing_id}"] [data-field="error"]')).to_have_text(XSS_ERROR)
        assert page.locator("main script, main img").count() == 0, "markup from a job became elements"
        assert page.evaluate("window.__xss === undefined"), "a job's error ran as script"
        page.context.close()
        self.assert_clean("escaping")  # an alert() would have been recorded as a dialog
        print("ok: a job named <script>alert(1)</script> and an error holding <img onerror> render as text")

    def stream_outage(self):
        """The server is killed and started again: the page says so, reconnects by itself
        and shows what happened meanwhile, without a reload."""
        page = self.page()
        self.open(page, "/jobs")
        seen = self.enqueue("tock.noop")  # an event, so the stream has a Last-Event-ID
        expect(page.locator(f'tr[data-job="{seen}"]')).to_be_visible(timeout=10_000)
        os.kill(self.options.server_pid, signal.SIGKILL)
        expect(page.locator("#live")).to_have_attribute("data-state", "down", timeout=10_000)
        expect(page.locator("#live")).to_contain_text("reconnecting")
        self.restart_server()
        # Before the browser is back (it waits a few seconds): a job enqueued and run.
        missed = self.enqueue("tock.noop")
        self.run_worker()
        row = page.locator(f'tr[data-job="{missed}"]')
        expect(row.locator('[data-field="status"]')).to_have_text("finished", timeout=20_000)
        expect(page.locator(f'tr[data-job="{seen}"] [data-field="status"]')).to_have_text("finished")
        expect(page.locator("#live")).to_have_attribute("data-state", "live")
        self.assert_same_document(page)
        page.context.close()
        # The cut stream and the refused reconnections while the server was down are the
        # outage itself.
        outage = ("/api/v1/stream", "ERR_CONNECTION_REFUSED", "ERR_INCOMPLETE_CHUNKED_ENCODING")
        self.problems = [problem for problem in self.problems if not any(sign in problem for sign in outage)]
        self.assert_clean("stream outage")
        print("ok: the stream cut by a server restart: the page said so, reconnected and caught up without a reload")

    def screenshots(self, directory):
        """Every page, light and dark, 1280 and 390 px wide, while a worker runs a job
        (for docs/dashboard.md; scripts/dashboard-screenshots)."""
        for _ in range(3):
            self.enqueue("tock.noop")
        running = self.enqueue("tock.sleep", [20])
        worker = self.start_worker()
        try:
            deadline = time.monotonic() + 20
            while self.api("GET", f"/api/v1/jobs/{running}")["progress"] is None or \
                    self.api("GET", f"/api/v1/jobs/{running}")["progress"]["percent"] < 20:
                assert time.monotonic() < deadline, "the job reported no progress"
                time.sleep(0.2)
            pages = {"overview": "/", "jobs": "/jobs", "job": f"/jobs/{running}", "workers": "/workers", "queues": "/queues"}
            for width in (1280, 390):
                for scheme in ("light", "dark"):
                    page = self.page(width, scheme)
                    for name, path in pages.items():
                        self.open(page, path)
                        page.screenshot(path=os.path.join(directory, f"{name}-{scheme}-{width}.png"))
                    page.context.close()
        finally:
            worker.kill()
            worker.wait()
        self.problems = []
        print(f"ok: screenshots in {directory}")

    def restart_server(self):
        log = open(os.path.join(self.options.workdir, "serve-restarted.log"), "ab")
        self.restarted = subprocess.Popen(
            [self.options.tock, "serve", "--listen", self.options.listen, "--backend", self.options.backend],
            cwd=self.options.workdir, stdout=log, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.api("GET", "/healthz")
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("tock serve did not answer after the restart")

    def queue_pause_resume(self):
        page = self.page()
        self.open(page, "/queues")
        button = page.locator('tr[data-queue="default"] button[data-queue-action]')
        expect(button).to_have_text("Pause")
        button.click()
        expect(page.locator("#action-result")).to_have_text("Queue default paused.")
        expect(page.locator('tr[data-queue="default"] [data-field="paused"]')).to_have_text("paused")
        assert self.api("GET", "/api/v1/queues") and any(
            queue["name"] == "default" and queue["paused"] for queue in self.api("GET", "/api/v1/queues"))
        page.locator('tr[data-queue="default"] button[data-queue-action]').click()
        expect(page.locator('tr[data-queue="default"] [data-field="paused"]')).to_have_text("active")
        page.context.close()
        self.assert_clean("queues")
        print("ok: the queues page pauses and resumes a queue")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--tock", required=True)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--server-pid", type=int, help="the server's pid: the outage check kills and restarts it")
    parser.add_argument("--listen", help="the server's --listen, to restart it")
    parser.add_argument("--screenshots", help="a directory for screenshots of every page")
    options = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=options.chromium, args=["--no-sandbox"])
        dashboard = Dashboard(options, browser)
        try:
            dashboard.job_appears_and_finishes_live()
            dashboard.overview_counts_live()
            dashboard.progress_bar_moves()
            dashboard.failure_and_requeue()
            dashboard.escaping()
            dashboard.queue_pause_resume()
            job_id = dashboard.enqueue("tock.noop", [1, {"nested": [True, None]}], kwargs={"to": "ops@example.com"})
            dashboard.times_are_local_with_utc_title(job_id)
            dashboard.every_page_loads(job_id)
            if options.screenshots:
                dashboard.screenshots(options.screenshots)
            if options.server_pid:
                dashboard.stream_outage()
        finally:
            browser.close()
            if dashboard.restarted:
                dashboard.restarted.kill()
                dashboard.restarted.wait()


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        raise
