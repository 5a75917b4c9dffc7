"""The Python client against a running Sweep (the test command starts one on a throwaway PostgreSQL, with a worker).

SWEEP_URL and SWEEP_TOKEN (a read-write token) name it; without them these tests fail rather than pass unchecked.
"""

import os
import sys
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sweep_client import (  # noqa: E402
    SweepApiError, SweepClient, SweepConflict, SweepNotFound, SweepValidationError)

# Two cells on 1,024 images for one epoch: a minute or less on the test machine's worker.
TINY = {
    "dataset": "fashion-mnist",
    "model": "f1",
    "grid": {"batchSize": [128, 256], "ghostBatchSize": [128], "regimeMultiplier": [1]},
    "training": {"epochs": 1, "lrDropEpochs": [], "seeds": [1], "trainSubset": 1024},
}


def client() -> SweepClient:
    url, token = os.environ.get("SWEEP_URL"), os.environ.get("SWEEP_TOKEN")
    if not url or not token:
        raise AssertionError("SWEEP_URL and SWEEP_TOKEN must name a running Sweep and a read-write token")
    return SweepClient(url, token)


class SubmitAndReadTests(unittest.TestCase):
    """One sweep driven end to end: submit (twice, idempotently), wait, heatmap, trials and metrics with paging."""

    @classmethod
    def setUpClass(cls):
        cls.api = client()
        cls.key = f"python-client-{uuid.uuid4()}"
        cls.created = cls.api.submit({**TINY, "name": f"python-client-{uuid.uuid4().hex[:8]}"}, idempotency_key=cls.key)
        cls.sweep = cls.api.wait(cls.created.id, poll=1.0, timeout=480)

    def test_submit_stores_one_trial_per_cell_and_a_retry_with_the_key_returns_the_same_sweep(self):
        self.assertEqual(2, self.created.trial_count)
        self.assertFalse(self.created.replayed)
        again = self.api.submit({**TINY, "name": self.sweep.name}, idempotency_key=self.key)
        self.assertEqual(self.created.id, again.id)
        self.assertTrue(again.replayed)

    def test_wait_returns_the_settled_sweep_with_every_trial_completed(self):
        self.assertTrue(self.sweep.settled)
        self.assertEqual(2, self.sweep.counts.get("completed"), self.sweep.counts)
        self.assertEqual({128, 256}, {t.batch_size for t in self.sweep.trials})

    def test_trials_follow_the_cursor_page_by_page(self):
        first = self.api.trials_page(self.created.id, limit=1, orderBy="grid")
        self.assertEqual(1, len(first.items))
        self.assertIsNotNone(first.next_cursor)
        every = list(self.api.trials(self.created.id, limit=1, orderBy="grid"))
        self.assertEqual([128, 256], [t.batch_size for t in every])
        for trial in every:
            self.assertGreater(trial.metrics["valAccuracy"], 0.1)  # above chance on 10 classes
            self.assertEqual("completed", trial.state)

    def test_the_heatmap_has_a_value_in_every_cell(self):
        heatmap = self.api.heatmap(self.created.id, x="batchSize", y="ghostBatchSize", metric="valAccuracy")
        self.assertEqual([128, 256], heatmap["x"])
        self.assertEqual(1, len(heatmap["z"]))
        self.assertTrue(all(v is not None and v > 0.1 for v in heatmap["z"][0]), heatmap["z"])

    def test_metrics_page_through_a_trials_history_in_key_and_step_order(self):
        trial = self.sweep.trials[0]
        everything = list(self.api.metrics(trial.id, key="valAccuracy"))
        self.assertGreaterEqual(len(everything), 2)  # before training (epoch 0) and after the epoch
        self.assertEqual(sorted(p.step for p in everything), [p.step for p in everything])
        self.assertEqual(everything, list(self.api.metrics(trial.id, key="valAccuracy", limit=1)))
        self.assertAlmostEqual(trial.metrics["valAccuracy"], everything[-1].value, places=6)


class ErrorTests(unittest.TestCase):
    """Refusals arrive as typed errors built from the server's ProblemDetails."""

    def setUp(self):
        self.api = client()

    def test_an_invalid_spec_names_each_field_it_refuses(self):
        with self.assertRaises(SweepValidationError) as refused:
            self.api.submit({**TINY, "name": "bad", "grid": {"batchSize": [0, 128], "ghostBatchSize": [128]}})
        self.assertEqual(400, refused.exception.status)
        self.assertIn("grid.batchSize", refused.exception.errors)
        self.assertIn("grid.batchSize", str(refused.exception))

    def test_an_unknown_sweep_is_not_found(self):
        with self.assertRaises(SweepNotFound) as missing:
            self.api.get("00000000-0000-0000-0000-000000000000")
        self.assertEqual(404, missing.exception.status)

    def test_a_wrong_token_is_refused(self):
        with self.assertRaises(SweepApiError) as refused:
            SweepClient(os.environ["SWEEP_URL"], "swp_not-a-token").get("00000000-0000-0000-0000-000000000000")
        self.assertEqual(401, refused.exception.status)

    def test_cancel_stops_a_sweep_and_a_second_cancel_is_a_conflict(self):
        big = {**TINY, "name": f"python-cancel-{uuid.uuid4().hex[:8]}", "training": {**TINY["training"], "epochs": 50, "trainSubset": None}}
        created = self.api.submit(big)
        self.api.cancel(created.id)
        sweep = self.api.wait(created.id, poll=0.5, timeout=120)
        self.assertEqual(created.trial_count, sweep.counts.get("cancelled"), sweep.counts)
        with self.assertRaises(SweepConflict):
            self.api.cancel(created.id)


class PandasTests(unittest.TestCase):
    """to_pandas needs pandas only when called: importing the client never does."""

    def test_to_pandas_builds_one_row_per_trial_or_says_pandas_is_missing(self):
        api = client()
        created = api.submit({**TINY, "name": f"python-pandas-{uuid.uuid4().hex[:8]}", "grid": {**TINY["grid"], "batchSize": [128]}})
        api.wait(created.id, poll=1.0, timeout=480)
        try:
            import pandas  # noqa: F401
        except ImportError:
            with self.assertRaises(ImportError):
                api.to_pandas(created.id)
            return
        frame = api.to_pandas(created.id)
        self.assertEqual(1, len(frame))
        self.assertGreater(frame["valAccuracy"].iloc[0], 0.1)


if __name__ == "__main__":
    unittest.main()
