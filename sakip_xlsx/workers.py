"""The one worker pool and progress line for commands that handle many files (check, results, rekap).

:func:`run_in_processes` hands one item at a time to each of a few long-lived
worker processes and always knows which item each worker holds.  When a worker
dies (killed by the system for lack of memory, a crash inside a parser, any
signal) or its task raises even a ``MemoryError``, only that item's result is
lost: ``crashed(item, reason)`` stands in for it (an Indonesian reason), a fresh
worker takes the next item, and every other item keeps its own result.  Results
come back in input order.

Workers are started with ``fork`` where the platform has it, so they begin with
every module (and the function's arguments, such as the calculation rules)
already in memory; only the items travel through the pipes.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .errors import show_path

__all__ = ["Progress", "crash_reason", "job_count", "run_in_processes"]

Item = TypeVar("Item")
Result = TypeVar("Result")


def job_count(jobs: int | None, items: int) -> int:
    """Worker processes for ``items`` items: ``jobs`` (None: one per usable CPU core), at most one per item."""
    if jobs is None:
        try:
            jobs = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):  # not on every platform
            jobs = os.cpu_count() or 1
    return max(1, min(jobs, items))


class Progress:
    """``[i/n] <verb> <file name>`` on stderr, rewritten in place (only when enabled)."""

    def __init__(self, total: int, verb: str, enabled: bool):
        self.total, self.verb, self.enabled = total, verb, enabled and total > 0
        self.shown = False

    def step(self, done: int, path: Path | str) -> None:
        if not self.enabled:
            return
        name = show_path(Path(path).name)[:50]
        print(f"\r[{done}/{self.total}] {self.verb} {name:<50}", end="", file=sys.stderr, flush=True)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            print(file=sys.stderr, flush=True)
            self.shown = False


def crash_reason(exitcode: int | None = None, error: BaseException | None = None) -> str:
    """Why a worker gave no result, in Indonesian."""
    if isinstance(error, MemoryError):
        return "memori komputer tidak cukup untuk berkas ini"
    if error is not None:
        return f"galat internal ({type(error).__name__})"
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        if -exitcode == signal.SIGKILL:
            return f"proses pemeriksanya dihentikan paksa oleh sistem ({name}), biasanya karena memori habis"
        return f"proses pemeriksanya berhenti mendadak ({name})"
    return f"proses pemeriksanya berhenti mendadak (kode {exitcode})"


class _Worker:
    """One worker process, its end of the pipe and the index of the item it holds."""

    def __init__(self, context: Any, function: Callable[[Any], Any]):
        from multiprocessing import Pipe

        pipe = context.Pipe if hasattr(context, "Pipe") else Pipe
        self.conn, child = pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, function), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None

    def give(self, index: int, item: Any) -> None:
        self.index = index
        self.conn.send((index, item))

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.conn.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _serve(conn: Any, function: Callable[[Any], Any]) -> None:
    """A worker's loop: take an item, send back (index, ok, result or error) until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, item = task
        try:
            reply = (index, True, function(item))
        except BaseException as exc:  # noqa: BLE001  - even MemoryError costs only this item
            reply = (index, False, _sendable(exc))
        try:
            conn.send(reply)
        except Exception as exc:  # the result could not be pickled
            conn.send((index, False, _sendable(exc)))


def _sendable(error: BaseException) -> BaseException:
    """An exception that survives the pipe (its type, when it cannot be pickled as it is)."""
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(type(error).__name__)
    return error


def run_in_processes(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int,
    crashed: Callable[[Item, str], Result],
    progress: Progress | None = None,
    name: Callable[[Item], Path | str] = lambda item: str(item),
) -> list[Result]:
    """``function(item)`` for every item in ``workers`` processes; results in input order.

    A worker that dies or raises costs its own item only: ``crashed(item, reason)``
    is its result.  Ctrl-C stops every worker and is raised again here.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    results: list[Any] = [None] * len(items)
    pending = iter(range(len(items)))
    busy: list[_Worker] = []
    done = 0

    def assign(worker: _Worker) -> None:
        index = next(pending, None)
        if index is None:
            worker.stop()
            worker.process.join()
            return
        worker.give(index, items[index])
        busy.append(worker)

    def finish(index: int, result: Any) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if progress is not None:
            progress.step(done, name(items[index]))

    try:
        for _ in range(workers):
            assign(_Worker(context, function))
        while busy:
            ready = wait([worker.conn for worker in busy] + [worker.process.sentinel for worker in busy])
            for worker in list(busy):
                if worker.conn not in ready and worker.process.sentinel not in ready:
                    continue
                index = worker.index
                assert index is not None
                reply = None
                if worker.conn.poll():
                    try:
                        reply = worker.conn.recv()
                    except (EOFError, OSError):
                        reply = None
                busy.remove(worker)
                if reply is not None:
                    _, ok, payload = reply
                    finish(index, payload if ok else crashed(items[index], crash_reason(error=payload)))
                    assign(worker)
                    continue
                worker.process.join()
                finish(index, crashed(items[index], crash_reason(worker.process.exitcode)))
                worker.conn.close()
                assign(_Worker(context, function))  # a fresh worker for the next item
    except BaseException:  # Ctrl-C (or a bug here): stop every worker, start nothing more
        for worker in busy:
            worker.kill()
        raise
    finally:
        if progress is not None:
            progress.close()
    return results
