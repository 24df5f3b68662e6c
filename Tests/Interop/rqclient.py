"""What a Python application does with RQ, for Tock's interoperability tests.

Run with the python of `scripts/rq-venv` (rq 2.12). Every subcommand prints one JSON
value on stdout, so that the Swift tests read exactly what RQ's own API reports:

    rqclient.py enqueue URL QUEUE NAME [--args JSON] [--kwargs JSON] [--pickle]
                        [--depends-on ID,ID…] [--allow-dependency-failures]
                        [--result-ttl S] [--failure-ttl S] [--ttl S]  -> "<job id>"
    rqclient.py job URL ID        -> {"status", "origin", "worker_name", "ttl", "result": {...} | null}
                                     ({"status": "missing"} when Job.fetch finds no such job)
    rqclient.py registries URL Q  -> {"queued", "started", "started_ids", "finished", "failed", "scheduled"}
    rqclient.py stop-job URL ID   -> null   (rq.command.send_stop_job_command)
    rqclient.py kill-horse URL WORKER -> null   (rq.command.send_kill_horse_command)
"""

import argparse
import json
import sys

from redis import Redis
from rq import Queue
from rq.command import send_kill_horse_command, send_stop_job_command
from rq.exceptions import NoSuchJobError
from rq.job import Dependency, Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry, StartedJobRegistry
from rq.serializers import JSONSerializer


def enqueue(connection, options):
    # Without --pickle: what Tock reads. With it: RQ's default (pickle) serializer, which
    # Tock must refuse clearly rather than run or crash on.
    serializer = None if options.pickle else JSONSerializer
    queue = Queue(options.queue, serializer=serializer, connection=connection)
    extra = {}
    if options.depends_on:
        extra["depends_on"] = Dependency(
            jobs=options.depends_on.split(","), allow_failure=options.allow_dependency_failures)
    if options.result_ttl is not None:
        extra["result_ttl"] = options.result_ttl
    if options.failure_ttl is not None:
        extra["failure_ttl"] = options.failure_ttl
    if options.ttl is not None:
        extra["ttl"] = options.ttl
    job = queue.enqueue(options.name, *json.loads(options.args), **json.loads(options.kwargs), **extra)
    return job.id


def job(connection, options):
    try:
        job = Job.fetch(options.id, connection=connection, serializer=JSONSerializer)
    except NoSuchJobError:
        return {"status": "missing"}
    latest = job.latest_result()
    result = None
    if latest is not None:
        result = {
            "type": latest.type.name,
            "return_value": latest.return_value,
            # What a Python user compares against: {'posted': 3}, not {'posted': 3.0}.
            "return_value_repr": repr(latest.return_value),
            "exc_string": latest.exc_string,
            "worker_name": latest.worker_name,
        }
    return {
        "status": job.get_status(),
        "origin": job.origin,
        "worker_name": job.worker_name,
        # Seconds until Redis deletes the job's hash; -1: never.
        "ttl": connection.ttl(job.key),
        "result": result,
    }


def registries(connection, options):
    queue = Queue(options.queue, serializer=JSONSerializer, connection=connection)
    # cleanup=False: report what is stored, so that a test can tell Tock's recovery of an
    # abandoned job from RQ's own (which counting with cleanup would do).
    return {
        "queued": queue.count,
        "started": StartedJobRegistry(queue=queue).get_job_count(cleanup=False),
        "started_ids": StartedJobRegistry(queue=queue).get_job_ids(cleanup=False),
        "finished": FinishedJobRegistry(queue=queue).get_job_count(cleanup=False),
        "failed": FailedJobRegistry(queue=queue).get_job_count(cleanup=False),
        "scheduled": ScheduledJobRegistry(queue=queue).get_job_count(cleanup=False),
    }


def stop_job(connection, options):
    send_stop_job_command(connection, options.id, serializer=JSONSerializer)


def kill_horse(connection, options):
    send_kill_horse_command(connection, options.worker)


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("enqueue")
    command.add_argument("url")
    command.add_argument("queue")
    command.add_argument("name")
    command.add_argument("--args", default="[]")
    command.add_argument("--kwargs", default="{}")
    command.add_argument("--pickle", action="store_true")
    command.add_argument("--depends-on", default="")
    command.add_argument("--allow-dependency-failures", action="store_true")
    command.add_argument("--result-ttl", type=int)
    command.add_argument("--failure-ttl", type=int)
    command.add_argument("--ttl", type=int)
    actions = {"enqueue": enqueue}
    for name, action, argument in [
        ("job", job, "id"), ("registries", registries, "queue"), ("stop-job", stop_job, "id"),
        ("kill-horse", kill_horse, "worker"),
    ]:
        command = commands.add_parser(name)
        command.add_argument("url")
        command.add_argument(argument)
        actions[name] = action
    options = parser.parse_args()
    connection = Redis.from_url(options.url)
    json.dump(actions[options.command](connection, options), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
