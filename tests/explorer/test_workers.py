"""Jobs run off the GUI thread, report progress, can be cancelled, and turn exceptions into messages."""

import threading

from explorer.workers import Job


def test_job_runs_in_a_worker_thread_and_reports_progress(qtbot):
    seen_threads = []

    def work(progress):
        seen_threads.append(threading.current_thread())
        for i in range(5):
            progress(i / 4, f"step {i}", i)
        return "done"

    job = Job(work)
    fractions = []
    job.progressed.connect(lambda f, m, p: fractions.append((f, p)))
    with qtbot.waitSignal(job.succeeded, timeout=5000) as result:
        job.start()
    assert result.args == ["done"]
    qtbot.waitUntil(lambda: len(fractions) == 5)
    assert fractions[-1] == (1.0, 4) and seen_threads[0] is not threading.main_thread()


def test_cancel_stops_at_the_next_progress_report(qtbot):
    started = threading.Event()
    steps = []

    def work(progress):
        started.set()
        for i in range(10_000):
            steps.append(i)
            progress(i / 10_000)
            threading.Event().wait(0.001)
        return "finished"

    job = Job(work)
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.start()
        started.wait(2)
        job.cancel()
    assert len(steps) < 10_000 and job.result is None


def test_errors_become_a_message_and_run_sync_works():
    job = Job(lambda progress: 1 / 0)
    messages = []
    job.failed.connect(messages.append)
    job.run_sync()
    assert messages == ["ZeroDivisionError: division by zero"] and job.error == messages[0]
    assert Job(lambda progress: 42).run_sync() == 42
