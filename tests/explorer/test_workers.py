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


def _tiny_training():
    from core import seq2seq as s2s

    config = s2s.Seq2SeqConfig(task="reverse", hidden=16, embed_dim=8, attention_dim=16, max_input_len=5, seed=3)
    options = s2s.TrainOptions(steps=40, batch_size=16, eval_every=20, eval_size=20, report_every=5, seed=3)
    return s2s, config, options


def test_a_process_job_trains_in_another_process_and_reports_back(qtbot):
    """Training runs in a spawned process (not a thread sharing the GUI's interpreter lock); its reports and the
    trained model come back, and the model is the one the same training in this process gives."""
    import torch

    from explorer.workers import ProcessJob

    s2s, config, options = _tiny_training()
    job = ProcessJob(s2s.train_reporting, config, options, "training")
    reports = []
    job.progressed.connect(lambda fraction, message, payload: reports.append((fraction, message, payload)))
    with qtbot.waitSignal(job.succeeded, timeout=120_000) as result:
        job.start()
    assert job._process.pid != __import__("os").getpid() and not job.running
    assert len(reports) >= 8 and reports[-1][2].step == 40
    assert all(message == "training" for _, message, _ in reports) and reports[-1][0] == 1.0
    here = s2s.train(config, options)
    there = result.args[0]
    assert there.steps == here.steps == 40 and abs(there.accuracy - here.accuracy) < 1e-9
    theirs = there.model.state_dict()
    for name, tensor in here.model.state_dict().items():
        assert torch.allclose(tensor, theirs[name], atol=1e-6), name


def test_cancelling_a_process_job_stops_it_and_keeps_nothing(qtbot):
    from explorer.workers import ProcessJob

    s2s, config, options = _tiny_training()
    job = ProcessJob(s2s.train_reporting, config, s2s.TrainOptions(steps=100_000, batch_size=16, report_every=5), "training")
    with qtbot.waitSignal(job.progressed, timeout=120_000):
        job.start()
    with qtbot.waitSignal(job.cancelled, timeout=30_000):
        job.cancel()
    qtbot.waitUntil(lambda: not job._process.is_alive())
    assert job.result is None and not job.running


def test_a_prewarmed_process_takes_the_next_job_and_a_new_one_is_started_after(qtbot):
    from explorer import workers

    s2s, config, options = _tiny_training()
    workers.prewarm()
    warm = workers._warm_child.process
    workers.prewarm()  # one at a time
    assert workers._warm_child.process is warm
    job = workers.ProcessJob(s2s.train_reporting, config, options, "training")
    with qtbot.waitSignal(job.succeeded, timeout=120_000):
        job.start()
    assert job._process is warm and workers._warm_child is None
    second = workers.ProcessJob(s2s.train_reporting, config, options, "training")
    with qtbot.waitSignal(second.succeeded, timeout=120_000):
        second.start()
    assert second._process is not warm and second.result.steps == 40


class _RunsAShell:
    def __reduce__(self):
        import os

        return (os.system, ("echo this must never run",))


def test_the_worker_pipe_carries_models_and_refuses_anything_that_names_a_function():
    """What comes back from a worker process is decoded with an allowlist: a trained model round-trips exactly,
    while bytes naming os.system, or one of the app's functions, are refused (a pipe, like a checkpoint, runs no code)."""
    import pickle

    import pytest
    import torch

    from explorer.workers import decode, encode

    s2s, config, options = _tiny_training()
    result = s2s.train(config, options)
    back = decode(encode(result))
    assert type(back.model) is type(result.model) and back.accuracy == result.accuracy
    for (name, ours), theirs in zip(result.model.state_dict().items(), back.model.state_dict().values(), strict=True):
        assert torch.equal(ours, theirs), name
    assert decode(encode((s2s.train_reporting, (config,))), functions=True)[0] is s2s.train_reporting
    for refused in (pickle.dumps(_RunsAShell()), encode(s2s.train_reporting)):
        with pytest.raises(pickle.UnpicklingError, match="may not refer to"):
            decode(refused)
